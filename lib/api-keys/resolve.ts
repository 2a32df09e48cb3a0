import "server-only";
import { timingSafeEqual } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import postgres from "postgres";
import { requireDatabaseUrl } from "@/lib/env";
import { siteKeys, sites, tenants, DEFAULT_SITE_RATE_LIMITS, type KeyKind, type Locale, type SiteRateLimits } from "@/db/schema";
import { withKeyLookup, withOriginLookup, withTenant } from "@/db/tenant";
import { KEY_PREFIX_LENGTH, keyKindOf, sha256 } from "./keys";

/** What a valid key stands for: its site, tenant and the settings intake needs. */
export type KeySite = {
  keyId: string;
  kind: KeyKind;
  tenantId: string;
  siteId: string;
  origins: string[];
  thankYouUrl: string | null;
  rateLimits: SiteRateLimits;
  dedupeWindowDays: number;
  locale: Locale;
};

/** Changes to sites, keys or tenant settings are announced here; every instance drops its cache. */
export const SITE_CHANGED_CHANNEL = "leadflow_site_changed";

const TTL_MS = 60_000; // while change notifications arrive
const BLIND_TTL_MS = 5_000; // while they do not (listener down): staleness stays short
const MISS_TTL_MS = 10_000;
// By a hash of the presented key; origins (keyless preflights) apart, so a flood of random origins
// cannot push keys out. Misses are cached briefly too, so floods of bad keys or origins stay cheap.
const keyCache = new LRUCache<string, { site: KeySite | null }>({ max: 10_000, ttl: TTL_MS });
const originCache = new LRUCache<string, { registered: boolean }>({ max: 10_000, ttl: TTL_MS });
/** Bumped by every change notification: a lookup that overlapped one does not cache its answer. */
let generation = 0;

function clearCaches(): void {
  generation++;
  keyCache.clear();
  originCache.clear();
}

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
    onnotify: clearCaches,
    onclose: () => {
      listener.live = false;
      clearCaches(); // notifications may have been missed
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

function ttl(found: boolean): number {
  return !listener.live ? BLIND_TTL_MS : found ? TTL_MS : MISS_TTL_MS;
}

type ResolvedKey = { keyId: string; tenantId: string; siteId: string; kind: KeyKind };

/** The key's row: prefix lookup (the one cross-tenant read keys need), then a constant-time hash check. */
export async function lookupKey(key: string): Promise<ResolvedKey | null> {
  const kind = keyKindOf(key);
  if (!kind) return null;
  const prefix = key.slice(0, KEY_PREFIX_LENGTH);
  const rows = await withKeyLookup(prefix, (tx) =>
    tx
      .select({ id: siteKeys.id, tenantId: siteKeys.tenantId, siteId: siteKeys.siteId, kind: siteKeys.kind, hash: siteKeys.hash })
      .from(siteKeys)
      .where(and(eq(siteKeys.prefix, prefix), isNull(siteKeys.revokedAt)))
      .limit(1),
  );
  const row = rows[0];
  if (!row || row.kind !== kind) return null;
  const a = Buffer.from(row.hash, "hex");
  const b = Buffer.from(sha256(key), "hex");
  if (a.length !== b.length || !timingSafeEqual(a, b)) return null;
  return { keyId: row.id, tenantId: row.tenantId, siteId: row.siteId, kind };
}

/** The key's site and tenant settings (null: unknown, revoked or archived), cached and invalidated by NOTIFY. */
export async function resolveKey(key: string): Promise<KeySite | null> {
  listen();
  const id = sha256(key);
  const hit = keyCache.get(id);
  if (hit) return hit.site;
  const seen = generation;
  const resolved = await lookupKey(key);
  let site: KeySite | null = null;
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
        ...resolved,
        origins: row.origins,
        thankYouUrl: row.thankYouUrl,
        rateLimits: { ...DEFAULT_SITE_RATE_LIMITS, ...row.rateLimits },
        dedupeWindowDays: row.settings.dedupeWindowDays ?? 30,
        locale: row.locale,
      };
    }
  }
  if (seen === generation) keyCache.set(id, { site }, { ttl: ttl(site !== null) });
  return site;
}

/** Whether any active site (of any tenant) registered this origin: an indexed lookup, cached like keys. */
export async function isRegisteredOrigin(origin: string): Promise<boolean> {
  listen();
  const hit = originCache.get(origin);
  if (hit) return hit.registered;
  const seen = generation;
  const rows = await withOriginLookup(origin, (tx) =>
    tx
      .select({ one: sql<number>`1` })
      .from(sites)
      .where(and(sql`${sites.origins} @> array[${origin}]::text[]`, isNull(sites.archivedAt)))
      .limit(1),
  );
  const registered = rows.length > 0;
  if (seen === generation) originCache.set(origin, { registered }, { ttl: ttl(registered) });
  return registered;
}
