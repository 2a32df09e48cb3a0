import { sql } from "drizzle-orm";
import { index, jsonb, pgPolicy, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, boolean, integer } from "drizzle-orm/pg-core";
import { appRole, currentLoginEmail, currentTenant, currentTenantSlug, currentUser, tenantPolicy } from "./_rls";

import { DEFAULT_TIMEZONE, DEFAULT_WORKING_HOURS, type Locale, type Role, type WorkingHours } from "./enums";

export type TenantSettings = {
  /** Same email/phone within this many days joins the existing lead. */
  dedupeWindowDays: number;
  /** First-response target, minutes. */
  firstResponseTargetMinutes: number;
  /** AI categories (keys); labels are translated in the UI. */
  aiCategories: string[];
  /** Give each new lead to the next available salesperson (round-robin). Absent = on. */
  autoAssign?: boolean;
  /** The first-response timer counts only this working time. Absent = around the clock. */
  workingHours?: WorkingHours;
  /** A lead still unanswered at its first-response deadline goes to the next salesperson (once). Absent = off. */
  reassignOverdue?: boolean;
};

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  dedupeWindowDays: 30,
  firstResponseTargetMinutes: 15,
  aiCategories: ["web_development", "web_design", "advertising", "seo", "support", "partnership", "spam", "other"],
  autoAssign: true,
  workingHours: DEFAULT_WORKING_HOURS,
  reassignOverdue: false,
};

/** A customer of LeadFlow (an agency). Visible to its members, and to the transaction bound to it. */
export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    timezone: text("timezone").notNull().default(DEFAULT_TIMEZONE),
    locale: text("locale").$type<Locale>().notNull().default("ru"),
    settings: jsonb("settings").$type<TenantSettings>().notNull().default(DEFAULT_TENANT_SETTINGS),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("tenants_slug_key").on(t.slug),
    pgPolicy("tenants_visible", {
      for: "select",
      to: appRole,
      using: sql`${t.id} = ${currentTenant} or ${t.slug} = ${currentTenantSlug} or ${t.id} in (select m.tenant_id from memberships m where m.user_id = ${currentUser})`,
    }),
    pgPolicy("tenants_insert", { for: "insert", to: appRole, withCheck: sql`${t.id} = ${currentTenant}` }),
    pgPolicy("tenants_update", {
      for: "update",
      to: appRole,
      using: sql`${t.id} = ${currentTenant}`,
      withCheck: sql`${t.id} = ${currentTenant}`,
    }),
    pgPolicy("tenants_delete", { for: "delete", to: appRole, using: sql`${t.id} = ${currentTenant}` }),
  ],
).enableRLS();

/**
 * A person who can log in. Global (one login, several tenants), so it has no tenant_id, but it is
 * still behind RLS: a transaction sees only users of its tenant, itself, or the e-mail being logged in with.
 */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull().default(""),
    passwordHash: text("password_hash").notNull(),
    locale: text("locale").$type<Locale>(),
    lastTenantId: uuid("last_tenant_id"),
    /** Signed in with a one-time password from an invite: must choose their own before working. */
    mustChangePassword: boolean("must_change_password").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => {
    const visible = sql`${t.id} = ${currentUser} or ${t.email} = ${currentLoginEmail} or ${t.id} in (select m.user_id from memberships m where m.tenant_id = ${currentTenant})`;
    return [
      uniqueIndex("users_email_key").on(t.email),
      pgPolicy("users_visible", { for: "select", to: appRole, using: visible }),
      // Creating a login is allowed to any bound transaction; it becomes visible through its membership.
      pgPolicy("users_insert", { for: "insert", to: appRole, withCheck: sql`${currentTenant} is not null or ${currentUser} is not null` }),
      pgPolicy("users_update", { for: "update", to: appRole, using: visible, withCheck: sql`true` }),
    ];
  },
).enableRLS();

/** Which user belongs to which tenant, with what role. */
export const memberships = pgTable(
  "memberships",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role").$type<Role>().notNull(),
    /** Takes new leads now (the header toggle); an unavailable salesperson is skipped by round-robin. */
    available: boolean("available").notNull().default(true),
    /** When round-robin last gave this member a lead (the fairness order). */
    lastAssignedAt: timestamp("last_assigned_at", { withTimezone: true }),
    /** Set by the owner: no login to this tenant, no new leads; kept so their history keeps its name. */
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index("memberships_user_idx").on(t.userId),
    tenantPolicy("memberships"),
    // A logged-in user may list their own memberships across tenants (the tenant switcher).
    pgPolicy("memberships_own_select", { for: "select", to: appRole, using: sql`${t.userId} = ${currentUser}` }),
  ],
).enableRLS();

/** Per-tenant pipeline. Keys are stable (contract); labels are per locale. */
export const pipelineStages = pgTable(
  "pipeline_stages",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    labels: jsonb("labels").$type<Partial<Record<Locale, string>>>().notNull().default({}),
    position: integer("position").notNull(),
    terminal: boolean("terminal").notNull().default(false),
    /** Bitrix24 STATUS_ID this stage maps to (editable per tenant). */
    bitrixStatusId: text("bitrix_status_id"),
    color: text("color").notNull().default("gray"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] }), tenantPolicy("pipeline_stages")],
).enableRLS();

/** Append-only record of who did what in a tenant (settings, users, keys, exports). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    actorUserId: uuid("actor_user_id"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    ip: text("ip"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_tenant_created_idx").on(t.tenantId, t.createdAt), tenantPolicy("audit_log")],
).enableRLS();
