import { sql } from "drizzle-orm";
import { index, pgPolicy, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { appRole, currentTenant, currentUser } from "./_rls";
import { tenants, users } from "./tenants";

/**
 * A salesperson's saved view of the leads list ("Мои просроченные"): a name and the list's URL
 * query (filters and sort). Private to its owner: the policy checks the user as well as the tenant.
 */
export const savedViews = pgTable(
  "saved_views",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id").notNull().references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    query: text("query").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => {
    const mine = sql`${t.tenantId} = ${currentTenant} and ${t.userId} = ${currentUser}`;
    return [
      index("saved_views_user_idx").on(t.tenantId, t.userId, t.name),
      pgPolicy("saved_views_own", { as: "permissive", for: "all", to: appRole, using: mine, withCheck: mine }),
    ];
  },
).enableRLS();
