import "server-only";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import type { KeySite } from "@/lib/api-keys";

// Postgres-backed counters (shared by every app instance), one limiter per distinct limit value.
const limiters = new Map<string, RateLimiterDrizzle>();
function limiter(name: string, perMinute: number): RateLimiterDrizzle {
  const id = `${name}:${perMinute}`;
  let l = limiters.get(id);
  if (!l) {
    l = new RateLimiterDrizzle({ storeClient: getDb(), schema: rateLimits, keyPrefix: `intake_${name}_${perMinute}`, points: perMinute, duration: 60 });
    limiters.set(id, l);
  }
  return l;
}

async function take(l: RateLimiterDrizzle, key: string): Promise<number> {
  try {
    await l.consume(key);
    return 0;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}

/**
 * Public keys: per key + client IP and per site. Secret keys: only when the owner set a limit.
 * Returns 0 when allowed, else the seconds to wait.
 */
export async function checkIntakeRateLimit(site: KeySite, ip: string): Promise<number> {
  const r = site.rateLimits;
  if (site.kind === "secret") {
    return r.secretPerMinute ? take(limiter("secret", r.secretPerMinute), site.siteId) : 0;
  }
  const [perIp, perSite] = await Promise.all([
    take(limiter("ip", r.perIpPerMinute), `${site.keyId}:${ip}`),
    take(limiter("site", r.perSitePerMinute), site.siteId),
  ]);
  return Math.max(perIp, perSite);
}
