import "server-only";
import { and, asc, eq, sql } from "drizzle-orm";
import { auditLog, DEFAULT_TENANT_SETTINGS, leadEvents, leads, memberships, tenants } from "@/db/schema";
import type { Tx } from "@/db/tenant";

/**
 * Round-robin: give a new lead to the available salesperson who got one longest ago (never first).
 * Decided in the database under a per-tenant transaction lock, so concurrent intake cannot hand
 * two leads to the same person out of turn. A lead that is spam, already assigned, or of a tenant
 * that switched auto-assignment off is left alone. Returns the assignee, or null.
 */
export async function autoAssign(tx: Tx, tenantId: string, leadId: string): Promise<string | null> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`round-robin:${tenantId}`}, 0))`);
  const [lead] = await tx.select({ assigneeId: leads.assigneeId, spam: leads.spam }).from(leads).where(eq(leads.id, leadId)).for("update").limit(1);
  if (!lead || lead.assigneeId || lead.spam) return null;
  const [tenant] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if ((tenant?.settings.autoAssign ?? DEFAULT_TENANT_SETTINGS.autoAssign) === false) return null;
  const [next] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "sales"), eq(memberships.available, true)))
    .orderBy(sql`${memberships.lastAssignedAt} asc nulls first`, asc(memberships.createdAt), asc(memberships.userId))
    .limit(1);
  if (!next) return null;
  const now = new Date();
  await tx.update(leads).set({ assigneeId: next.userId, assignedAt: now, updatedAt: now }).where(eq(leads.id, leadId));
  await tx.update(memberships).set({ lastAssignedAt: now }).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, next.userId)));
  await tx.insert(leadEvents).values({ tenantId, leadId, type: "assigned", actorUserId: null, payload: { fromUserId: null, toUserId: next.userId, auto: true }, createdAt: now });
  await tx.insert(auditLog).values({ tenantId, actorUserId: null, action: "lead.assign", entity: "lead", entityId: leadId, data: { to: next.userId, auto: true } });
  return next.userId;
}

/** The header toggle: whether this member takes new leads now. */
export async function setAvailability(tx: Tx, tenantId: string, userId: string, available: boolean): Promise<boolean> {
  await tx.update(memberships).set({ available }).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return available;
}
