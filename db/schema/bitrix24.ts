import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenantPolicy } from "./_rls";
import { tenants } from "./tenants";
import { leads } from "./leads";

// The Bitrix24 integration (lib/integrations/bitrix24): a tenant's connection, each lead's link to
// its Bitrix24 lead, the durable queue of what is still to be sent, the sync log, backfills, and
// the per-portal request bucket shared by every process.

export const BITRIX24_OP_KINDS = ["add", "comment", "status"] as const;
export type Bitrix24OpKind = (typeof BITRIX24_OP_KINDS)[number];
export const BITRIX24_OP_STATES = ["pending", "done", "failed", "skipped"] as const;
export type Bitrix24OpState = (typeof BITRIX24_OP_STATES)[number];

/** Bitrix24 STATUS_ID → LeadFlow stage key (CONTRACT's default map, plus the owner's overrides). */
export type Bitrix24StatusMapIn = Record<string, string>;
/** A portal lead stage as `crm.status.list` describes it (kept so Settings can show and map them). */
export type Bitrix24Stage = { statusId: string; name: string; semantics: "process" | "success" | "failure"; sort: number };

export const bitrix24Connections = pgTable(
  "bitrix24_connections",
  {
    tenantId: uuid("tenant_id").primaryKey().references(() => tenants.id, { onDelete: "cascade" }),
    /** The incoming-webhook URL, AES-256-GCM under APP_ENCRYPTION_KEY (lib/secrets.ts); never stored plain. */
    webhookEnc: text("webhook_enc").notNull(),
    /** The portal's host (what `auth[domain]` of its events carries) — not secret. */
    portalHost: text("portal_host").notNull(),
    /** The employee the webhook acts as (the `/rest/<user_id>/` of its URL) and, when known, their name. */
    portalUserId: integer("portal_user_id").notNull(),
    portalUserName: text("portal_user_name"),
    /** `auth[member_id]` of the first event that passed the token check; later events must match it. */
    memberId: text("member_id"),
    /** SHA-256 of the outgoing webhook's application token (compared in constant time). */
    appTokenHash: text("app_token_hash"),
    enabled: boolean("enabled").notNull().default(true),
    syncLeads: boolean("sync_leads").notNull().default(true),
    syncStatusOut: boolean("sync_status_out").notNull().default(true),
    syncStatusIn: boolean("sync_status_in").notNull().default(true),
    stages: jsonb("stages").$type<Bitrix24Stage[]>().notNull().default([]),
    statusMapIn: jsonb("status_map_in").$type<Bitrix24StatusMapIn>().notNull().default({}),
    /** Channel (`web`, `api`, …) or `site:<uuid>` → SOURCE_ID. */
    sourceMap: jsonb("source_map").$type<Record<string, string>>().notNull().default({}),
    /** LeadFlow user id → Bitrix24 ASSIGNED_BY_ID. */
    userMap: jsonb("user_map").$type<Record<string, number>>().notNull().default({}),
    /** Set when the portal refused our credentials or rights: nothing is sent until reconnected. */
    brokenReason: text("broken_reason"),
    brokenAt: timestamp("broken_at", { withTimezone: true }),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
    /** Reconcile watermark: the newest DATE_MODIFY seen by `crm.lead.list` (the portal's own clock). */
    reconciledTo: text("reconciled_to"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantPolicy("bitrix24_connections")],
).enableRLS();

/** A LeadFlow lead's Bitrix24 lead, and the STATUS_ID last agreed on (so echoes are recognised). */
export const bitrix24Links = pgTable(
  "bitrix24_links",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").notNull().references(() => leads.id, { onDelete: "cascade" }),
    /** The portal the id belongs to (a tenant that reconnects to another portal starts afresh). */
    portalHost: text("portal_host").notNull(),
    bitrixId: integer("bitrix_id").notNull(),
    statusId: text("status_id"),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp("synced_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.leadId] }), uniqueIndex("bitrix24_links_bitrix_idx").on(t.tenantId, t.portalHost, t.bitrixId), tenantPolicy("bitrix24_links")],
).enableRLS();

/**
 * What is still to be sent, per lead and in order: written in the same transaction as the change
 * that causes it (the intake statement, a status change), drained by the `bitrix24:sync` job. An op
 * is leased while a worker sends it; when an earlier attempt may have reached the portal
 * (`uncertain`), an `add` looks the lead up by ORIGIN_ID before adding again.
 */
export const bitrix24Ops = pgTable(
  "bitrix24_ops",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").notNull().references(() => leads.id, { onDelete: "cascade" }),
    kind: text("kind").$type<Bitrix24OpKind>().notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    state: text("state").$type<Bitrix24OpState>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAt: timestamp("next_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    /** An earlier attempt may have reached the portal (timeout, dropped connection, a worker that died). */
    uncertain: boolean("uncertain").notNull().default(false),
    lastError: text("last_error"),
    backfillId: uuid("backfill_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    index("bitrix24_ops_pending_idx").on(t.tenantId, t.nextAt, t.id).where(sql`state = 'pending'`),
    index("bitrix24_ops_lead_idx").on(t.tenantId, t.leadId, t.id),
    index("bitrix24_ops_backfill_idx").on(t.tenantId, t.backfillId).where(sql`backfill_id is not null`),
    tenantPolicy("bitrix24_ops"),
  ],
).enableRLS();

/** The sync log: one row per op per HTTP attempt — what was sent (secrets masked), the answer, what next. */
export const bitrix24Attempts = pgTable(
  "bitrix24_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    opId: bigint("op_id", { mode: "number" }),
    leadId: uuid("lead_id"),
    method: text("method").notNull(),
    request: jsonb("request").$type<unknown>(),
    httpStatus: integer("http_status"),
    response: jsonb("response").$type<unknown>(),
    /** ok · adopted (found by ORIGIN_ID after a lost answer) · retry · failed · skipped */
    outcome: text("outcome").notNull(),
    error: text("error"),
    nextAt: timestamp("next_at", { withTimezone: true }),
    durationMs: integer("duration_ms"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("bitrix24_attempts_tenant_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index("bitrix24_attempts_lead_idx").on(t.tenantId, t.leadId, t.createdAt.desc()),
    tenantPolicy("bitrix24_attempts"),
  ],
).enableRLS();

export const BITRIX24_BACKFILL_STATES = ["running", "done", "cancelled"] as const;
export type Bitrix24BackfillState = (typeof BITRIX24_BACKFILL_STATES)[number];

/** "Send existing leads" for a period: queued page by page into `bitrix24_ops`, resumable. */
export const bitrix24Backfills = pgTable(
  "bitrix24_backfills",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by"),
    fromDay: date("from_day").notNull(),
    toDay: date("to_day").notNull(),
    state: text("state").$type<Bitrix24BackfillState>().notNull().default("running"),
    total: integer("total").notNull().default(0),
    queued: integer("queued").notNull().default(0),
    /** Keyset position of the last lead queued: created_at (µs text) and id. */
    cursor: jsonb("cursor").$type<{ createdAt: string; id: string } | null>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("bitrix24_backfills_tenant_idx").on(t.tenantId, t.createdAt.desc()), tenantPolicy("bitrix24_backfills")],
).enableRLS();

/**
 * The portal's leaky bucket, mirrored: one row per portal host, shared by every worker and web
 * process (owner connection only; not tenant data). `level` drains at the portal's rate.
 */
export const bitrix24Buckets = pgTable("bitrix24_buckets", {
  portal: text("portal").primaryKey(),
  level: doublePrecision("level").notNull().default(0),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});
