import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenantPolicy } from "./_rls";
import { tenants } from "./tenants";
import { sites } from "./sites";

export type StoredIntakeResponse = { status: number; body: Record<string, unknown>; location?: string };

/**
 * Idempotency keys of `POST /api/intake`: the unique index makes a concurrent repeat wait for the
 * first request's transaction and then see its answer. Rows older than 24 h no longer count.
 */
export const intakeRequests = pgTable(
  "intake_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    siteId: uuid("site_id").notNull().references(() => sites.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    leadId: uuid("lead_id"),
    /** The request that wrote the stored answer (tells a fresh claim from a repeat in one statement). */
    requestId: uuid("request_id"),
    statusCode: integer("status_code"),
    response: jsonb("response").$type<StoredIntakeResponse>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("intake_requests_site_key_key").on(t.siteId, t.key),
    index("intake_requests_created_idx").on(t.createdAt),
    tenantPolicy("intake_requests"),
  ],
).enableRLS();
