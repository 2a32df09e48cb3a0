import "server-only";
import { AppError } from "@/lib/errors";
import { resolveIntakeSite, type IntakeSite } from "@/lib/services/intake/site-cache";
import { recordKeyUse } from "@/lib/services/intake/key-usage";

export type PresentedKey = { key: string; via: "bearer" | "header" | "query" };

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

/** REST v1: a secret key as `Authorization: Bearer sk_…`, scoped to its tenant. */
export async function authenticateSecretKey(request: Request): Promise<IntakeSite> {
  const presented = presentedKey(request);
  if (!presented?.key || presented.via !== "bearer") throw new AppError("invalid_api_key", "Send a secret key as Authorization: Bearer sk_…");
  const site = await resolveIntakeSite(presented.key);
  if (!site || site.kind !== "secret") throw new AppError("invalid_api_key", "Unknown or revoked secret key");
  recordKeyUse(site.keyId, site.tenantId);
  return site;
}
