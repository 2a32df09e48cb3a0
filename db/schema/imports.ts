import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantPolicy } from "./_rls";
import { tenants } from "./tenants";

export const IMPORT_STATUSES = ["draft", "queued", "running", "done", "failed"] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export type ImportRowError = { row: number; issues: { path: string; message: string }[] };

/**
 * A CSV import of leads: the uploaded text, the column mapping the user confirmed, and the job's
 * progress and per-row report (the page polls it, so progress survives a reload).
 */
export const leadImports = pgTable(
  "lead_imports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by"),
    filename: text("filename").notNull(),
    status: text("status").$type<ImportStatus>().notNull().default("draft"),
    csv: text("csv").notNull(),
    headers: jsonb("headers").$type<string[]>().notNull().default([]),
    /** Column index → intake field, "custom" (kept as a custom field) or "" (skipped). */
    mapping: jsonb("mapping").$type<string[]>().notNull().default([]),
    total: integer("total").notNull().default(0),
    processed: integer("processed").notNull().default(0),
    created: integer("created").notNull().default(0),
    joined: integer("joined").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    errors: jsonb("errors").$type<ImportRowError[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("lead_imports_tenant_created_idx").on(t.tenantId, t.createdAt), tenantPolicy("lead_imports")],
).enableRLS();
