import { sql } from "drizzle-orm";
import { date, doublePrecision, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantPolicy } from "./_rls";
import { tenants } from "./tenants";

/**
 * The analytics rollup: per tenant, per day of the tenant's calendar, per breakdown (`dim`) and its
 * value (`key`), the figures of that day's leads — counts, and the first-response seconds themselves
 * (so medians and p90 stay exact when days are combined). Rebuilt per day from `leads` by the
 * `analytics:refresh` job; a day whose leads changed since is read live instead (see
 * lib/services/analytics.ts), so the dashboard is never stale.
 */
export const leadStats = pgTable(
  "lead_stats",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    dim: text("dim").notNull(),
    key: text("key").notNull(),
    /** Non-spam leads; `spam` counts the spam ones (dim "all" only). */
    n: integer("n").notNull(),
    spam: integer("spam").notNull().default(0),
    won: integer("won").notNull().default(0),
    qualified: integer("qualified").notNull().default(0),
    responded: integer("responded").notNull().default(0),
    inTarget: integer("in_target").notNull().default(0),
    open: integer("open").notNull().default(0),
    /** First-response seconds of the responded leads (dims that show a median only). */
    resp: doublePrecision("resp").array(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day, t.dim, t.key] }), tenantPolicy("lead_stats")],
).enableRLS();

/** Days whose rollup is built, and from which time zone (a tenant that changes its zone is rebuilt). */
export const leadStatsDays = pgTable(
  "lead_stats_days",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    timezone: text("timezone").notNull(),
    builtAt: timestamp("built_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] }), tenantPolicy("lead_stats_days")],
).enableRLS();

/**
 * UTC days whose leads changed since their rollup was built: written by the `leads_stats_dirty`
 * trigger on every insert, relevant update and delete of a lead; cleared by the refresh job.
 */
export const leadStatsDirty = pgTable(
  "lead_stats_dirty",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    utcDay: date("utc_day").notNull(),
    since: timestamp("since", { withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.utcDay] }), tenantPolicy("lead_stats_dirty")],
).enableRLS();
