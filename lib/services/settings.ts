import "server-only";
import { eq, sql } from "drizzle-orm";
import { auditLog, tenants } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { SITE_CHANGED_CHANNEL } from "@/lib/api-keys/resolve";
import type { TLeadRules } from "@/lib/validators/settings";
import { invalidateStats } from "./analytics";
import { getTenantSettings } from "./tenant-settings";

export { getTenantSettings };

export async function getLeadRules(tx: Tx, tenantId: string): Promise<TLeadRules> {
  const s = await getTenantSettings(tx, tenantId);
  return {
    timezone: s.timezone,
    dedupeWindowDays: s.dedupeWindowDays,
    firstResponseTargetMinutes: s.firstResponseTargetMinutes,
    workingHours: s.workingHours!,
    autoAssign: s.autoAssign !== false,
    reassignOverdue: s.reassignOverdue === true,
  };
}

/**
 * Save Settings → Lead rules. The dedupe window is read by intake through the key cache, so every
 * instance is told to drop it. Deadlines already set stay (a lead keeps the promise it was given).
 */
export async function updateLeadRules(tx: Tx, tenantId: string, input: TLeadRules, actorUserId: string): Promise<TLeadRules> {
  const before = await getLeadRules(tx, tenantId);
  const { timezone, ...rules } = input;
  // Another calendar: the analytics rollup's days are the old zone's (rebuilt by its job; read live meanwhile).
  // The rollup's "in time" counts the old target's: rebuilt as well when the target or the working hours change.
  if (timezone !== before.timezone || rules.firstResponseTargetMinutes !== before.firstResponseTargetMinutes) await invalidateStats(tx, tenantId);
  await tx
    .update(tenants)
    .set({ timezone, settings: sql`${tenants.settings} || ${JSON.stringify(rules)}::jsonb`, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId));
  await tx.insert(auditLog).values({ tenantId, actorUserId, action: "settings.lead_rules", entity: "tenant", entityId: tenantId, data: { before, after: input } });
  await tx.execute(sql`select pg_notify(${SITE_CHANGED_CHANNEL}, ${tenantId})`);
  return input;
}

/** Settings → AI: the tenant's categories (keys; the defaults have translated labels). "other" always stays. */
export async function updateAiCategories(tx: Tx, tenantId: string, categories: string[], actorUserId: string): Promise<string[]> {
  const list = [...new Set(categories)];
  if (!list.includes("other")) list.push("other");
  const before = (await getTenantSettings(tx, tenantId)).aiCategories;
  await tx
    .update(tenants)
    .set({ settings: sql`${tenants.settings} || ${JSON.stringify({ aiCategories: list })}::jsonb`, updatedAt: new Date() })
    .where(eq(tenants.id, tenantId));
  await tx.insert(auditLog).values({ tenantId, actorUserId, action: "settings.ai_categories", entity: "tenant", entityId: tenantId, data: { before, after: list } });
  return list;
}
