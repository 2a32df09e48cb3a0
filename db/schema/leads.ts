import { sql, type SQL } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
  customType,
} from "drizzle-orm/pg-core";
import { tenantPolicy } from "./_rls";
import { pipelineStages, tenants, users } from "./tenants";
import { sites } from "./sites";

import type { AiStatus, Channel, NextStepKind } from "./enums";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * Full-text search document: Russian and English stems (so "сайты" finds "сайт", "sites" finds
 * "site"), plus the words as they are ('simple': names, brands, e-mail parts).
 */
function searchDocument(): SQL {
  const text = sql`coalesce(name, '') || ' ' || coalesce(company, '') || ' ' || coalesce(message, '')`;
  const contact = sql`coalesce(email, '') || ' ' || coalesce(phone, '')`;
  return sql`setweight(to_tsvector('russian'::regconfig, ${text}), 'A') || setweight(to_tsvector('english'::regconfig, ${text}), 'B')
    || to_tsvector('simple'::regconfig, ${text} || ' ' || ${contact})`;
}

/** A lead (заявка). Every field of the contract's `Lead`, plus what search, dedupe and SLAs need. */
export const leads = pgTable(
  "leads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    siteId: uuid("site_id").references(() => sites.id, { onDelete: "set null" }),
    status: text("status").notNull().default("new"),
    channel: text("channel").$type<Channel>().notNull(),
    name: text("name"),
    email: text("email"),
    phone: text("phone"),
    company: text("company"),
    message: text("message"),
    form: text("form"),
    pageUrl: text("page_url"),
    referrer: text("referrer"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    consent: boolean("consent").notNull().default(false),
    customFields: jsonb("custom_fields").$type<Record<string, string>>().notNull().default({}),
    spam: boolean("spam").notNull().default(false),
    submissions: integer("submissions").notNull().default(1),
    lastSubmissionAt: timestamp("last_submission_at", { withTimezone: true }).notNull().defaultNow(),
    /** Dedupe keys: lower-cased e-mail; E.164 phone (null when it does not parse). */
    emailNorm: text("email_norm"),
    phoneNorm: text("phone_norm"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    assignedAt: timestamp("assigned_at", { withTimezone: true }),
    /** First human response (status change, note, call) and how long it took. */
    firstResponseAt: timestamp("first_response_at", { withTimezone: true }),
    firstResponseSeconds: integer("first_response_seconds"),
    firstResponseBy: uuid("first_response_by"),
    /** When the first response is due: the target counted in the tenant's working hours (set by the lead-received job). */
    firstResponseDueAt: timestamp("first_response_due_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
    /** Every status the lead has had, now or before (the funnel); kept by the `leads_track_stages` trigger. */
    stagesReached: text("stages_reached").array().notNull().default(sql`'{}'::text[]`),
    /** The one next step (call / e-mail / meeting / other), due at a moment; cleared when done. */
    nextStepKind: text("next_step_kind").$type<NextStepKind>(),
    nextStepDueAt: timestamp("next_step_due_at", { withTimezone: true }),
    nextStepText: text("next_step_text"),
    aiStatus: text("ai_status").$type<AiStatus>(),
    aiCategory: text("ai_category"),
    /** Set when a person chose the category: their choice wins over the model's and is kept. */
    aiCategoryCorrectedAt: timestamp("ai_category_corrected_at", { withTimezone: true }),
    aiCategoryCorrectedBy: uuid("ai_category_corrected_by"),
    aiScore: integer("ai_score"),
    aiSummary: text("ai_summary"),
    aiExtracted: jsonb("ai_extracted").$type<Record<string, unknown>>(),
    aiUpdatedAt: timestamp("ai_updated_at", { withTimezone: true }),
    bitrixId: text("bitrix_id"),
    bitrixSyncedAt: timestamp("bitrix_synced_at", { withTimezone: true }),
    search: tsvector("search").generatedAlwaysAs(searchDocument()),
    /**
     * The phone's national digits (+7 / 8 dropped from 11-digit numbers), for search by the digits
     * people type from the start ("8 997 324…", "997 324"). A prefix range over a text_pattern_ops
     * index: those comparisons are leakproof, so the index works under row-level security (LIKE
     * and trigram matching are not, and scanned every lead of the tenant).
     */
    phoneNational: text("phone_national").generatedAlwaysAs(
      sql`(case when length(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g')) = 11 and left(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 1) in ('7', '8')
        then substr(regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), 2) else regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') end)`,
    ),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "leads_status_stage_fk",
      columns: [t.tenantId, t.status],
      foreignColumns: [pipelineStages.tenantId, pipelineStages.key],
    }).onUpdate("cascade"),
    // DESC NULLS FIRST, as `order by … desc` means: drizzle's bare .desc() is NULLS LAST, an order
    // the planner cannot read an `order by created_at desc` from (a million-lead list then sorted all).
    index("leads_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("leads_tenant_updated_idx").on(t.tenantId, t.updatedAt),
    index("leads_tenant_status_idx").on(t.tenantId, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Counts of the live (non-spam) leads by status — the board's columns and the list's total — from
    // the index alone (an index-only scan: 0.05 s instead of 0.35 s at a million leads).
    index("leads_tenant_status_live_idx").on(t.tenantId, t.status).where(sql`not ${t.spam}`),
    index("leads_tenant_assignee_created_idx").on(t.tenantId, t.assigneeId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("leads_tenant_email_idx").on(t.tenantId, t.emailNorm, t.createdAt.desc()).where(sql`${t.emailNorm} is not null`),
    index("leads_tenant_phone_idx").on(t.tenantId, t.phoneNorm, t.createdAt.desc()).where(sql`${t.phoneNorm} is not null`),
    index("leads_tenant_bitrix_idx").on(t.tenantId, t.bitrixId).where(sql`${t.bitrixId} is not null`),
    index("leads_search_idx").using("gin", t.search),
    // "Сегодня": a salesperson's due steps, soonest first.
    // "Overdue": still waiting for a first response past its deadline.
    index("leads_tenant_response_due_idx").on(t.tenantId, t.firstResponseDueAt).where(sql`${t.firstResponseAt} is null and not ${t.spam}`),
    index("leads_tenant_score_idx").on(t.tenantId, t.aiScore.desc().nullsLast(), t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("leads_tenant_next_step_idx").on(t.tenantId, t.assigneeId, t.nextStepDueAt).where(sql`${t.nextStepDueAt} is not null`),
    index("leads_email_trgm_idx").using("gin", t.emailNorm.op("gin_trgm_ops")),
    index("leads_phone_national_idx").on(t.tenantId, t.phoneNational.op("text_pattern_ops")),
    index("leads_name_trgm_idx").using("gin", sql`lower(${t.name}) gin_trgm_ops`),
    tenantPolicy("leads"),
  ],
).enableRLS();

export const LEAD_EVENT_TYPES = [
  "created",
  "submission",
  "received", // legacy: written by the intake job until it stopped being shown; hidden from the timeline
  "status_changed",
  "assigned",
  "note",
  "ai",
  "sync",
  "updated",
  "category_changed",
  "contacted",
  "spam_changed",
  "next_step_set",
  "next_step_done",
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

/** Typed payloads of the timeline; the `type` column picks the shape. */
export type LeadEventPayload = {
  created: { channel: string; siteId: string | null; source: string | null };
  /** A repeat submission joined to the lead (dedupe): what it carried. */
  submission: {
    channel: string;
    siteId: string | null;
    message: string | null;
    form: string | null;
    fields: {
      name: string | null;
      email: string | null;
      phone: string | null;
      company: string | null;
      pageUrl: string | null;
      referrer: string | null;
      customFields: Record<string, string>;
      utm: { source: string | null; medium: string | null; campaign: string | null; term: string | null; content: string | null };
    };
  };
  received: { jobId?: string };
  /** `via`: the change was made in Bitrix24. */
  status_changed: { from: string; to: string; reason?: string | null; via?: "bitrix24" };
  /** `auto`: given by round-robin, not by a person. */
  assigned: { fromUserId: string | null; toUserId: string | null; auto?: boolean };
  note: { noteId: string; excerpt: string };
  ai: { task: string; status: "done" | "failed"; category?: string; score?: number; error?: string };
  sync: { target: "bitrix24"; direction: "push" | "pull"; status: "ok" | "failed"; externalId?: string; error?: string };
  updated: { fields: string[] };
  category_changed: { from: string | null; to: string };
  contacted: Record<string, never>;
  spam_changed: { spam: boolean };
  next_step_set: { kind: NextStepKind; dueAt: string; text: string | null };
  next_step_done: { kind: NextStepKind; dueAt: string; text: string | null };
};

export const leadEvents = pgTable(
  "lead_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").notNull().references(() => leads.id, { onDelete: "cascade" }),
    type: text("type").$type<LeadEventType>().notNull(),
    actorUserId: uuid("actor_user_id"),
    payload: jsonb("payload").$type<LeadEventPayload[LeadEventType]>().notNull().default({} as never),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("lead_events_lead_idx").on(t.tenantId, t.leadId, t.createdAt), tenantPolicy("lead_events")],
).enableRLS();

export const notes = pgTable(
  "notes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    leadId: uuid("lead_id").notNull().references(() => leads.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("notes_lead_idx").on(t.tenantId, t.leadId, t.createdAt), tenantPolicy("notes")],
).enableRLS();
