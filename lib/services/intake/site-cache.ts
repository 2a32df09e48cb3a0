import "server-only";
import { eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import postgres from "postgres";
import { requireDatabaseUrl } from "@/lib/env";
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

const TTL_MS = 60_000; // while change notifications arrive
const BLIND_TTL_MS = 5_000; // while they do not (listener down): staleness stays short
// Keyed by a hash of the presented key; misses are cached briefly so a flood of bad keys stays cheap.
const cache = new LRUCache<string, { site: IntakeSite | null }>({ max: 10_000, ttl: TTL_MS });

/**
 * One LISTEN connection per process, reconnecting with backoff (1 s … 30 s). Not postgres.js's
 * `listen()`: that one re-listens at once on every close, which spins when the database is away.
 */
const listener = {
  client: null as postgres.Sql | null,
  live: false,
  backoff: 1000,
  timer: null as NodeJS.Timeout | null,
};

function connectListener(): void {
  listener.timer = null;
  // `onnotify` is postgres.js's (undocumented in its types) hook for NotificationResponse messages.
  listener.client ??= postgres(requireDatabaseUrl(), {
    max: 1,
    idle_timeout: 0,
    max_lifetime: null,
    fetch_types: false,
    connect_timeout: 5,
    onnotice: () => {},
    connection: { application_name: "leadflow-listen" },
    onnotify: () => cache.clear(),
    onclose: () => {
      listener.live = false;
      cache.clear(); // notifications may have been missed
      scheduleListener();
    },
  } as postgres.Options<Record<string, postgres.PostgresType>>);
  listener.client.unsafe(`listen ${SITE_CHANGED_CHANNEL}`).then(
    () => {
      listener.live = true;
      listener.backoff = 1000;
    },
    () => scheduleListener(),
  );
}

function scheduleListener(): void {
  if (listener.timer) return;
  listener.timer = setTimeout(connectListener, listener.backoff).unref();
  listener.backoff = Math.min(listener.backoff * 2, 30_000);
}

function listen(): void {
  if (!listener.client && !listener.timer) connectListener();
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
  cache.set(id, { site }, { ttl: !listener.live ? BLIND_TTL_MS : site ? TTL_MS : 10_000 });
  return site;
}

