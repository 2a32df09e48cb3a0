import "server-only";
import type { StoredIntakeResponse } from "@/db/schema";
import { AppError, issuesFromZod } from "@/lib/errors";
import { clientIp, errorResponse } from "@/lib/http";
import { splitFields, ZIdempotencyKey, ZIntakeSchema } from "@/lib/validators/intake";
import { normaliseOrigin } from "@/lib/validators/sites";
import { bodyKind, parseFields, readLimited } from "./body";
import { checkIntakeRateLimit } from "./rate-limit";
import { recordIntake } from "./record";
import { recordKeyUse } from "./key-usage";
import { resolveIntakeSite, type IntakeSite } from "./site-cache";
import { presentedKey } from "@/lib/services/api/auth";

const ALLOWED_HEADERS = "content-type, x-api-key, idempotency-key, accept";

/** The page the request came from: `Origin`, or for a plain form post the `Referer`'s origin. */
function requestOrigin(request: Request): string | null {
  const origin = request.headers.get("origin");
  if (origin && origin !== "null") return normaliseOrigin(origin);
  const referer = request.headers.get("referer");
  return referer ? normaliseOrigin(referer) : null;
}

function corsHeaders(origin: string): Record<string, string> {
  return {
    "access-control-allow-origin": origin,
    "access-control-expose-headers": "retry-after",
    vary: "Origin",
  };
}

/** Authenticate: secret keys as Bearer only; public keys only from the site's origins. */
async function authenticate(request: Request, url: URL): Promise<{ site: IntakeSite; cors: Record<string, string> }> {
  const presented = presentedKey(request, url);
  if (!presented?.key) throw new AppError("invalid_api_key", "Missing or malformed API key");
  const site = await resolveIntakeSite(presented.key);
  if (!site) throw new AppError("invalid_api_key", "Unknown or revoked API key");
  if (site.kind === "secret") {
    // A secret key must never travel in a URL or a browser header.
    if (presented.via !== "bearer") throw new AppError("invalid_api_key", "Secret keys are accepted only as Authorization: Bearer");
    return { site, cors: {} };
  }
  if (presented.via === "bearer") throw new AppError("invalid_api_key", "Public keys go in X-Api-Key or ?key=, not Authorization");
  const origin = requestOrigin(request);
  if (!origin || !site.origins.includes(origin)) {
    throw new AppError("origin_not_allowed", origin ? `Origin ${origin} is not allowed for this key` : "Public keys need an Origin or Referer header");
  }
  return { site, cors: corsHeaders(origin) };
}

function wantsRedirect(request: Request, kind: string): boolean {
  if (kind === "json") return false;
  return !(request.headers.get("accept") ?? "").toLowerCase().includes("application/json");
}

function thankYouUrl(site: IntakeSite, url: URL, lang: string): string {
  if (site.thankYouUrl) return site.thankYouUrl;
  const thanks = new URL("/thanks", url);
  thanks.searchParams.set("lang", lang);
  return thanks.toString();
}

function preferredLang(request: Request, site: IntakeSite): "ru" | "en" {
  const al = request.headers.get("accept-language")?.toLowerCase() ?? "";
  if (al.startsWith("en")) return "en";
  if (al.startsWith("ru")) return "ru";
  return site.locale;
}

function toResponse(stored: StoredIntakeResponse, headers: Record<string, string>): Response {
  const h = new Headers({ ...headers, "cache-control": "no-store" });
  if (stored.location) {
    h.set("location", stored.location);
    return new Response(null, { status: stored.status, headers: h });
  }
  return Response.json(stored.body, { status: stored.status, headers: h });
}

// POST /api/intake
export async function handleIntake(request: Request): Promise<Response> {
  let cors: Record<string, string> = {};
  try {
    const url = new URL(request.url);
    const contentType = request.headers.get("content-type");
    const auth = await authenticate(request, url);
    cors = auth.cors;
    const { site } = auth;
    recordKeyUse(site.keyId, site.tenantId);

    const wait = await checkIntakeRateLimit(site, clientIp(request.headers));
    if (wait > 0) throw new AppError("rate_limited", "Too many requests, slow down", { retryAfterSeconds: wait });

    const kind = bodyKind(contentType);
    if (!kind) throw new AppError("unsupported_media_type", "Send application/json, application/x-www-form-urlencoded or multipart/form-data");
    const bytes = await readLimited(request);
    const fields = await parseFields(kind, bytes, contentType!);

    const idemHeader = request.headers.get("idempotency-key");
    let idempotencyKey: string | undefined;
    if (idemHeader !== null) {
      const parsedKey = ZIdempotencyKey.safeParse(idemHeader);
      if (!parsedKey.success) {
        throw new AppError("validation_error", "Invalid Idempotency-Key", { issues: [{ path: "Idempotency-Key", message: parsedKey.error.issues[0]!.message }] });
      }
      idempotencyKey = parsedKey.data;
    }

    const parsed = ZIntakeSchema.safeParse(splitFields(fields));
    if (!parsed.success) throw new AppError("validation_error", "Some fields are invalid", { issues: issuesFromZod(parsed.error) });

    const redirect = wantsRedirect(request, kind);
    const lang = preferredLang(request, site);
    const result = await recordIntake(
      { tenantId: site.tenantId, siteId: site.siteId, channel: site.kind === "public" ? "web" : "api", dedupeWindowDays: site.dedupeWindowDays },
      parsed.data,
      { idempotencyKey, answer: redirect ? { created: 303, joined: 303, location: thankYouUrl(site, url, lang) } : { created: 201, joined: 200 } },
    );
    return toResponse(result.response, { ...cors, ...(result.kind === "replay" ? { "idempotent-replayed": "true" } : {}) });
  } catch (e) {
    // After a 413 the rest of the body is unread: tell the client not to reuse this connection.
    const close: Record<string, string> = e instanceof AppError && e.code === "payload_too_large" ? { connection: "close" } : {};
    return errorResponse(e, { ...cors, ...close });
  }
}

// OPTIONS /api/intake — CORS preflight. With ?key= the origin is checked now; with X-Api-Key the
// key is unknown until the real request, which is where it is enforced.
export async function handleIntakePreflight(request: Request): Promise<Response> {
  const origin = request.headers.get("origin");
  const headers: Record<string, string> = {
    "access-control-allow-methods": "POST, OPTIONS",
    "access-control-allow-headers": ALLOWED_HEADERS,
    "access-control-max-age": "600",
    vary: "Origin",
  };
  const normalised = origin ? normaliseOrigin(origin) : null;
  if (!normalised) return new Response(null, { status: 204, headers });
  const key = new URL(request.url).searchParams.get("key");
  if (key) {
    try {
      const site = await resolveIntakeSite(key);
      if (!site || site.kind !== "public" || !site.origins.includes(normalised)) return new Response(null, { status: 204, headers });
    } catch {
      // Database trouble: let the real request report it.
    }
  }
  return new Response(null, { status: 204, headers: { ...headers, "access-control-allow-origin": normalised } });
}
