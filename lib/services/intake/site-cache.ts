import "server-only";
import { eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { getSqlClient } from "@/db";
import { sites, tenants, DEFAULT_SITE_RATE_LIMITS, type KeyKind, type SiteRateLimits } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { resolveApiKey, sha256 } from "@/lib/services/sites";

export type IntakeSite = {
  keyId: string;
  kind: KeyKind;
  tenantId: string;
  siteId: string;
  origins: string[];
  thankYouUrl: string | null;
  rateLimits: SiteRateLimits;
  dedupeWindowDays: number;
  locale: "ru" | "en";
};

/** Changes to sites, keys or tenant settings are announced here; every instance drops its cache. */
export const SITE_CHANGED_CHANNEL = "leadflow_site_changed";

const TTL_MS = 60_000;
// Keyed by a hash of the presented key; misses are cached briefly so a flood of bad keys stays cheap.
const cache = new LRUCache<string, { site: IntakeSite | null }>({ max: 10_000, ttl: TTL_MS });

let listening: Promise<unknown> | null = null;
function listen(): void {
  listening ??= getSqlClient()
    .listen(SITE_CHANGED_CHANNEL, () => cache.clear(), () => cache.clear())
    .catch(() => {
      // No LISTEN (e.g. the database is down): the TTL still bounds staleness; try again later.
      listening = null;
    });
}

/** The key's site and tenant settings, cached for a minute and invalidated by NOTIFY. */
export async function resolveIntakeSite(key: string): Promise<IntakeSite | null> {
  listen();
  const id = sha256(key);
  const hit = cache.get(id);
  if (hit) return hit.site;
  const resolved = await resolveApiKey(key);
  let site: IntakeSite | null = null;
  if (resolved) {
    const [row] = await withTenant(resolved.tenantId, (tx) =>
      tx
        .select({ origins: sites.origins, thankYouUrl: sites.thankYouUrl, rateLimits: sites.rateLimits, archivedAt: sites.archivedAt, settings: tenants.settings, locale: tenants.locale })
        .from(sites)
        .innerJoin(tenants, eq(tenants.id, sites.tenantId))
        .where(eq(sites.id, resolved.siteId))
        .limit(1),
    );
    if (row && !row.archivedAt) {
      site = {
        keyId: resolved.keyId,
        kind: resolved.kind,
        tenantId: resolved.tenantId,
        siteId: resolved.siteId,
        origins: row.origins,
        thankYouUrl: row.thankYouUrl,
        rateLimits: { ...DEFAULT_SITE_RATE_LIMITS, ...row.rateLimits },
        dedupeWindowDays: row.settings.dedupeWindowDays ?? 30,
        locale: row.locale,
      };
    }
  }
  cache.set(id, { site }, { ttl: site ? TTL_MS : 10_000 });
  return site;
}

/** For tests and for the settings actions in this process. */
export function clearIntakeSiteCache(): void {
  cache.clear();
}
