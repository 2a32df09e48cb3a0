// POST /api/intake — a lead from a website form (public key) or a server (secret key).
import type { Locale } from "@/db/schema";
import { authenticateApiKey, isRegisteredOrigin, resolveKey, type KeySite } from "@/lib/api-keys";
import { AppError, issuesFromZod } from "@/lib/errors";
import { bodyKind, parseFields, readLimited, type BodyKind } from "@/lib/http/body";
import { clientIp } from "@/lib/http/request";
import { errorResponse } from "@/lib/http/response";
import { route } from "@/lib/http/route";
import { checkIntakeRateLimit } from "@/lib/services/intake/rate-limit";
import { recordIntake, type StoredIntakeResponse } from "@/lib/services/intake/write";
import { splitFields, ZIdempotencyKey, ZIntakeSchema } from "@/lib/validators/intake";
import { normaliseOrigin } from "@/lib/validators/sites";

export const dynamic = "force-dynamic";

const ALLOWED_HEADERS = "content-type, x-api-key, idempotency-key, accept";

/**
 * The page a public key is used from: `Origin`; for a plain form post (no JavaScript, so no
 * `Origin` from some older browsers) also the `Referer`'s origin. A JSON or other scripted request
 * always carries `Origin` in a browser, so there a `Referer` proves nothing and is not accepted.
 */
function requestOrigin(request: Request, kind: BodyKind | null): string | null {
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") return normaliseOrigin(origin);
  if (kind !== "urlencoded" && kind !== "multipart") return null;
  const referer = request.headers.get("referer");
  return referer ? normaliseOrigin(referer) : null;
}

function corsHeaders(origin: string): Record<string, string> {
  return { "access-control-allow-origin": origin, "access-control-expose-headers": "retry-after", vary: "Origin" };
}

/** A public key only from one of its site's origins; the answer then carries CORS for that origin. */
function checkOrigin(request: Request, site: KeySite, kind: BodyKind | null): Record<string, string> {
  if (site.kind === "secret") return {};
  const origin = requestOrigin(request, kind);
  if (!origin || !site.origins.includes(origin)) {
    const hint = kind === "json" ? "Public keys need the Origin header of one of the site's origins" : "Public keys need an Origin or Referer header";
    throw new AppError("origin_not_allowed", origin ? `Origin ${origin} is not allowed for this key` : hint);
  }
  return corsHeaders(origin);
}

function wantsRedirect(request: Request, kind: BodyKind): boolean {
  if (kind === "json") return false;
  return !(request.headers.get("accept") ?? "").toLowerCase().includes("application/json");
}

function preferredLang(request: Request, site: KeySite): Locale {
  const al = request.headers.get("accept-language")?.toLowerCase() ?? "";
  if (al.startsWith("en")) return "en";
  if (al.startsWith("ru")) return "ru";
  return site.locale;
}

function thankYouUrl(site: KeySite, url: URL, lang: Locale): string {
  if (site.thankYouUrl) return site.thankYouUrl;
  const thanks = new URL("/thanks", url);
  thanks.searchParams.set("lang", lang);
  return thanks.toString();
}

function toResponse(stored: StoredIntakeResponse, headers: Record<string, string>): Response {
  const h = new Headers({ ...headers, "cache-control": "no-store" });
  if (stored.location) {
    h.set("location", stored.location);
    return new Response(null, { status: stored.status, headers: h });
  }
  return Response.json(stored.body, { status: stored.status, headers: h });
}

function idempotencyKey(request: Request): string | undefined {
  const header = request.headers.get("idempotency-key");
  if (header === null) return undefined;
  const parsed = ZIdempotencyKey.safeParse(header);
  if (!parsed.success) {
    throw new AppError("validation_error", "Invalid Idempotency-Key", { issues: [{ path: "Idempotency-Key", message: parsed.error.issues[0]!.message }] });
  }
  return parsed.data;
}

async function intake(request: Request): Promise<Response> {
  let cors: Record<string, string> = {};
  try {
    const url = new URL(request.url);
    const contentType = request.headers.get("content-type");
    const kind = bodyKind(contentType);
    const { site, checked } = await authenticateApiKey(request, { kinds: ["public", "secret"], url, check: (s) => checkOrigin(request, s, kind) });
    cors = checked;

    const wait = await checkIntakeRateLimit(site, clientIp(request.headers));
    if (wait > 0) throw new AppError("rate_limited", "Too many requests, slow down", { retryAfterSeconds: wait });

    if (!kind) throw new AppError("unsupported_media_type", "Send application/json, application/x-www-form-urlencoded or multipart/form-data");
    const fields = await parseFields(kind, await readLimited(request), contentType!);
    const key = idempotencyKey(request);
    const parsed = ZIntakeSchema.safeParse(splitFields(fields));
    if (!parsed.success) throw new AppError("validation_error", "Some fields are invalid", { issues: issuesFromZod(parsed.error) });

    const redirect = wantsRedirect(request, kind);
    const result = await recordIntake(
      { tenantId: site.tenantId, siteId: site.siteId, channel: site.kind === "public" ? "web" : "api", dedupeWindowDays: site.dedupeWindowDays },
      parsed.data,
      {
        idempotencyKey: key,
        answer: redirect ? { created: 303, joined: 303, location: thankYouUrl(site, url, preferredLang(request, site)) } : { created: 201, joined: 200 },
      },
    );
    return toResponse(result.response, { ...cors, ...(result.kind === "replay" ? { "idempotent-replayed": "true" } : {}) });
  } catch (e) {
    // After a 413 the rest of the body is unread: tell the client not to reuse this connection.
    const close: Record<string, string> = e instanceof AppError && e.code === "payload_too_large" ? { connection: "close" } : {};
    return errorResponse(e, { ...cors, ...close });
  }
}

/**
 * CORS preflight. Browsers send no key value in it: with `?key=` the key's own origins decide;
 * without, the origin must be one that some active site registered. Any other origin gets no
 * `Access-Control-Allow-Origin`, so the browser never sends the real request.
 */
async function preflight(request: Request): Promise<Response> {
  const headers: Record<string, string> = {
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-max-age": "600",
    allow: "POST, OPTIONS",
    vary: "Origin",
  };
  const raw = request.headers.get("origin");
  const origin = raw ? normaliseOrigin(raw) : null;
  if (!origin) return new Response(null, { status: 204, headers });
  let allowed = false;
  try {
    const key = new URL(request.url).searchParams.get("key");
    if (key) {
      const site = await resolveKey(key);
      allowed = Boolean(site && site.kind === "public" && site.origins.includes(origin));
    } else allowed = await isRegisteredOrigin(origin);
  } catch {
    // Database trouble: no CORS grant now; the browser retries later, and a real request reports it.
  }
  return new Response(null, { status: 204, headers: allowed ? { ...headers, "access-control-allow-origin": origin } : headers });
}

export const { GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS } = route({ POST: intake, OPTIONS: preflight });
