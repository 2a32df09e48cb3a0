import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantPolicy } from "./_rls";
import { tenants } from "./tenants";

/**
 * A tenant's learned models (the scoring model of its won/lost history): data, retrained by the
 * `ai:train` job when leads close, read by every analysis.
 */
export const aiModels = pgTable(
  "ai_models",
  {
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    model: jsonb("model").$type<Record<string, unknown>>().notNull(),
    examples: integer("examples").notNull().default(0),
    trainedAt: timestamp("trained_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] }), tenantPolicy("ai_models")],
).enableRLS();
