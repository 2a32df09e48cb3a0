import "server-only";
import type { z } from "zod";
import { AppError, issuesFromZod } from "@/lib/errors";
import { bodyKind, parseJson, readLimited } from "./body";
import { errorResponse } from "./response";

// The one wrapper for route handlers: the method check (405 with Allow), error mapping to the
// contract's JSON, and validated bodies and queries. How a route authenticates (secret key,
// session) with its tenant transaction is in ./auth. Services never see a Request nor build a Response.

const HANDLED = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type HandledMethod = (typeof HANDLED)[number];
export type Method = HandledMethod | "HEAD";

export type RouteContext<P> = { params: Promise<P> };
export type RouteHandler<P = Record<string, string>> = (request: Request, ctx: RouteContext<P>) => Response | Promise<Response>;

function guarded<P>(h: RouteHandler<P>): RouteHandler<P> {
  return async (request, ctx) => {
    try {
      return await h(request, ctx);
    } catch (e) {
      return errorResponse(e);
    }
  };
}

/**
 * A route's handlers by method. Every method it does not handle answers `405 method_not_allowed`
 * with `Allow`; HEAD follows GET; OPTIONS answers 204 with `Allow` unless the route handles it.
 * Use: `export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({ GET: … })`.
 */
export function route<P = Record<string, string>>(handlers: Partial<Record<HandledMethod, RouteHandler<P>>>): Record<Method, RouteHandler<P>> {
  const allowed: Method[] = HANDLED.filter((m) => handlers[m] && m !== "OPTIONS");
  if (handlers.GET) allowed.splice(1, 0, "HEAD");
  allowed.push("OPTIONS");
  const allow = allowed.join(", ");
  const notAllowed: RouteHandler<P> = (request) =>
    errorResponse(new AppError("method_not_allowed", `${request.method} is not supported here; use ${allow}`), { allow });
  const out = {} as Record<Method, RouteHandler<P>>;
  for (const m of HANDLED) out[m] = handlers[m] ? guarded(handlers[m]) : notAllowed;
  if (!handlers.OPTIONS) out.OPTIONS = () => new Response(null, { status: 204, headers: { allow } });
  const get = out.GET;
  out.HEAD = handlers.GET
    ? async (request, ctx) => {
        const res = await get(request, ctx);
        return new Response(null, { status: res.status, headers: res.headers });
      }
    : notAllowed;
  return out;
}

/** A JSON body validated by `schema`: 415 unless JSON, 413 past 64 KiB, 400 naming each bad field. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S): Promise<z.output<S>> {
  if (bodyKind(request.headers.get("content-type")) !== "json") throw new AppError("unsupported_media_type", "Send application/json");
  const raw = parseJson(await readLimited(request));
  return parseWith(schema, raw, "Invalid fields");
}

/** The URL's query parameters validated by `schema`. */
export function readQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return parseWith(schema, Object.fromEntries(new URL(request.url).searchParams), "Invalid query");
}

function parseWith<S extends z.ZodType>(schema: S, raw: unknown, message: string): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("validation_error", message, { issues: issuesFromZod(parsed.error) });
  return parsed.data;
}

export const NO_STORE = { "cache-control": "no-store" } as const;
