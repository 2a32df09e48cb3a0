import "server-only";
import { AppError } from "@/lib/errors";
import type { KeyKind } from "@/db/schema";
import { resolveKey, type KeySite } from "./resolve";
import { recordKeyUse } from "./usage";

// API keys as requests present them. Transport rules live here (a secret key only as a Bearer
// token, never in a URL or a browser header; a public key never as a Bearer token); the origin a
// public key is used from is the route's concern (CORS).

export type { KeySite } from "./resolve";
export { isRegisteredOrigin, SITE_CHANGED_CHANNEL } from "./resolve";

export type KeyTransport = "bearer" | "header" | "query";
export type PresentedKey = { key: string; via: KeyTransport };

/** The API key a request carries: `Authorization: Bearer`, `X-Api-Key`, or `?key=`. */
export function presentedKey(request: Request, url = new URL(request.url)): PresentedKey | null {
  const auth = request.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return { key: m?.[1] ?? "", via: "bearer" };
  }
  const header = request.headers.get("x-api-key");
  if (header) return { key: header.trim(), via: "header" };
  const query = url.searchParams.get("key");
  if (query) return { key: query.trim(), via: "query" };
  return null;
}

/**
 * The request's key → its site, or `invalid_api_key`. `kinds` says which kinds the endpoint takes;
 * `check` is the route's own test of the request (a public key's origin), run before the key's use
 * is counted (Settings shows "last used"), so a foreign page cannot inflate it.
 */
export async function authenticateApiKey<T = void>(
  request: Request,
  opts: { kinds: readonly KeyKind[]; url?: URL; check?: (site: KeySite) => T },
): Promise<{ site: KeySite; via: KeyTransport; checked: T }> {
  const presented = presentedKey(request, opts.url);
  const onlySecret = opts.kinds.length === 1 && opts.kinds[0] === "secret";
  if (!presented?.key) throw new AppError("invalid_api_key", onlySecret ? "Send a secret key as Authorization: Bearer sk_…" : "Missing or malformed API key");
  const site = await resolveKey(presented.key);
  if (!site || !opts.kinds.includes(site.kind)) throw new AppError("invalid_api_key", onlySecret ? "Unknown or revoked secret key" : "Unknown or revoked API key");
  if (site.kind === "secret" && presented.via !== "bearer") throw new AppError("invalid_api_key", "Secret keys are accepted only as Authorization: Bearer");
  if (site.kind === "public" && presented.via === "bearer") throw new AppError("invalid_api_key", "Public keys go in X-Api-Key or ?key=, not Authorization");
  const checked = opts.check ? opts.check(site) : (undefined as T);
  recordKeyUse(site.keyId, site.tenantId);
  return { site, via: presented.via, checked };
}

/** The site of a key presented without a request (the CORS preflight's `?key=`); no usage counted. */
export { resolveKey };
