import "server-only";
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { auditLog, DEFAULT_TENANT_SETTINGS, leadEvents, leads, memberships, pipelineStages, sites, tenants } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Tx } from "@/db/tenant";

/**
 * The next salesperson in the rotation: available, active, `sales`, the one who got a lead longest
 * ago (never first); only the site's own team when the site has one. Call under `rotationLock`.
 */
async function nextInRotation(tx: Tx, tenantId: string, siteId: string | null, exclude: string | null): Promise<string | null> {
  const team = siteId ? ((await tx.select({ ids: sites.assigneeIds }).from(sites).where(eq(sites.id, siteId)).limit(1))[0]?.ids ?? []) : [];
  const [next] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        eq(memberships.role, "sales"),
        eq(memberships.available, true),
        isNull(memberships.deactivatedAt),
        team.length ? inArray(memberships.userId, team) : undefined,
        exclude ? ne(memberships.userId, exclude) : undefined,
      ),
    )
    .orderBy(sql`${memberships.lastAssignedAt} asc nulls first`, asc(memberships.createdAt), asc(memberships.userId))
    .limit(1);
  return next?.userId ?? null;
}

/** Round-robin decisions of a tenant, one at a time (a transaction lock). */
async function rotationLock(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`round-robin:${tenantId}`}, 0))`);
}

async function giveTo(tx: Tx, tenantId: string, leadId: string, from: string | null, to: string, reason?: "overdue"): Promise<void> {
  const now = new Date();
  await tx.update(leads).set({ assigneeId: to, assignedAt: now, updatedAt: now }).where(eq(leads.id, leadId));
  await tx.update(memberships).set({ lastAssignedAt: now }).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, to)));
  await tx.insert(leadEvents).values({ tenantId, leadId, type: "assigned", actorUserId: null, payload: { fromUserId: from, toUserId: to, auto: true, ...(reason ? { reason } : {}) }, createdAt: now });
  await tx.insert(auditLog).values({ tenantId, actorUserId: null, action: "lead.assign", entity: "lead", entityId: leadId, data: { from, to, auto: true, ...(reason ? { reason } : {}) } });
}

/**
 * Round-robin: give a new lead to the next salesperson in the rotation (see `nextInRotation`).
 * Decided in the database under a per-tenant transaction lock, so concurrent intake cannot hand
 * two leads to the same person out of turn. A lead that is spam, already assigned, or of a tenant
 * that switched auto-assignment off is left alone. Returns the assignee, or null.
 */
export async function autoAssign(tx: Tx, tenantId: string, leadId: string): Promise<string | null> {
  await rotationLock(tx, tenantId);
  const [lead] = await tx.select({ assigneeId: leads.assigneeId, spam: leads.spam, siteId: leads.siteId }).from(leads).where(eq(leads.id, leadId)).for("update").limit(1);
  if (!lead || lead.assigneeId || lead.spam) return null;
  const [tenant] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if ((tenant?.settings.autoAssign ?? DEFAULT_TENANT_SETTINGS.autoAssign) === false) return null;
  const next = await nextInRotation(tx, tenantId, lead.siteId, null);
  if (!next) return null;
  await giveTo(tx, tenantId, leadId, null, next);
  return next;
}

/**
 * A lead still waiting for its first response at the deadline goes to the next salesperson, when
 * the tenant asked for it — once per lead (it does not bounce around the team), and only while it
 * is really waiting: not answered, not spam, not closed, the deadline passed. Returns the new assignee.
 */
export async function reassignOverdue(tx: Tx, tenantId: string, leadId: string): Promise<string | null> {
  await rotationLock(tx, tenantId);
  const [lead] = await tx
    .select({ assigneeId: leads.assigneeId, spam: leads.spam, siteId: leads.siteId, respondedAt: leads.firstResponseAt, dueAt: leads.firstResponseDueAt, status: leads.status })
    .from(leads)
    .where(eq(leads.id, leadId))
    .for("update")
    .limit(1);
  if (!lead || lead.spam || lead.respondedAt || !lead.dueAt || lead.dueAt.getTime() > Date.now()) return null;
  const [tenant] = await tx.select({ settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (tenant?.settings.reassignOverdue !== true) return null;
  const [stage] = await tx.select({ terminal: pipelineStages.terminal }).from(pipelineStages).where(eq(pipelineStages.key, lead.status)).limit(1);
  if (stage?.terminal) return null;
  const [already] = await tx
    .select({ id: leadEvents.id })
    .from(leadEvents)
    .where(and(eq(leadEvents.leadId, leadId), eq(leadEvents.type, "assigned"), sql`${leadEvents.payload}->>'reason' = 'overdue'`))
    .limit(1);
  if (already) return null;
  const next = await nextInRotation(tx, tenantId, lead.siteId, lead.assigneeId);
  if (!next) return null;
  await giveTo(tx, tenantId, leadId, lead.assigneeId, next, "overdue");
  return next;
}

/** Settings → Lead rules: the site's own round-robin team (empty: the whole team). Only active salespeople. */
export async function setSiteTeam(tx: Tx, tenantId: string, siteId: string, userIds: string[], actorUserId: string): Promise<string[]> {
  const ids = [...new Set(userIds)];
  if (ids.length) {
    const found = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.userId, ids), eq(memberships.role, "sales"), isNull(memberships.deactivatedAt)));
    if (found.length !== ids.length) throw new AppError("validation_error", "Only active salespeople can be in a site's team", { issues: [{ path: "userIds", message: "not an active salesperson" }] });
  }
  const updated = await tx.update(sites).set({ assigneeIds: ids }).where(eq(sites.id, siteId)).returning({ id: sites.id });
  if (!updated.length) throw new AppError("not_found", "Site not found");
  await tx.insert(auditLog).values({ tenantId, actorUserId, action: "site.team", entity: "site", entityId: siteId, data: { userIds: ids } });
  return ids;
}

/** The header toggle: whether this member takes new leads now. */
export async function setAvailability(tx: Tx, tenantId: string, userId: string, available: boolean): Promise<boolean> {
  await tx.update(memberships).set({ available }).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
  return available;
}
