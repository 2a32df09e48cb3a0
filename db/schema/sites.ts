import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgPolicy, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { appRole, currentOrigin, tenantPolicy } from "./_rls";
import { tenants } from "./tenants";
import type { KeyKind } from "./enums";

export type SiteRateLimits = {
  /** Public-key requests per key + client IP per minute. */
  perIpPerMinute: number;
  /** Public-key requests per site per minute. */
  perSitePerMinute: number;
  /** Secret-key requests per minute; null = unlimited (the default). */
  secretPerMinute: number | null;
};

export const DEFAULT_SITE_RATE_LIMITS: SiteRateLimits = {
  perIpPerMinute: 10,
  perSitePerMinute: 300,
  secretPerMinute: null,
};

/** A client website (or server) that sends leads. */
export const sites = pgTable(
  "sites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Allowed origins for public keys, normalised `scheme://host[:port]`. */
    origins: text("origins").array().notNull().default(sql`'{}'::text[]`),
    thankYouUrl: text("thank_you_url"),
    rateLimits: jsonb("rate_limits").$type<SiteRateLimits>().notNull().default(DEFAULT_SITE_RATE_LIMITS),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    /** Round-robin for this site's leads among these salespeople only; empty = the whole team. */
    assigneeIds: uuid("assignee_ids").array().notNull().default(sql`'{}'::uuid[]`),
  },
  (t) => [
    index("sites_tenant_idx").on(t.tenantId),
    index("sites_origins_idx").using("gin", t.origins),
    tenantPolicy("sites"),
    // The keyless CORS preflight: a transaction that presents one origin may see the active sites
    // that registered it (whether any exists is all it asks), nothing else of any tenant.
    pgPolicy("sites_origin_lookup", {
      for: "select",
      to: appRole,
      // Written as `@>` so the GIN index on origins serves the policy itself.
      using: sql`${t.archivedAt} is null and ${t.origins} @> array[${currentOrigin}]`,
    }),
  ],
).enableRLS();


/**
 * A site's API keys: `pk_…` (browser, origin-restricted) and `sk_…` (server). A short prefix (for
 * lookup) and a SHA-256 hash are stored for both. A secret key is shown once and never stored; a
 * public key sits in every page of its site anyway, so it is kept as is (`key`) for Settings to show
 * in a ready snippet (null for secret keys, and for public keys issued before it was kept).
 * Several keys per kind may be live during a rotation; revoked ones stay for the audit trail.
 */
export const siteKeys = pgTable(
  "site_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    kind: text("kind").$type<KeyKind>().notNull(),
    prefix: text("prefix").notNull(),
    hash: text("hash").notNull(),
    key: text("key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    usageCount: integer("usage_count").notNull().default(0),
  },
  (t) => [
    uniqueIndex("site_keys_prefix_key").on(t.prefix),
    index("site_keys_site_idx").on(t.siteId),
    tenantPolicy("site_keys"),
    // The API-key lookup: a transaction that presents a key prefix may read that one key row
    // (its tenant is unknown until then). The hash is still checked in constant time.
    pgPolicy("site_keys_lookup", {
      for: "select",
      to: appRole,
      using: sql`${t.prefix} = nullif(current_setting('app.key_prefix', true), '')`,
    }),
  ],
).enableRLS();
