import "server-only";
import { stageStatusOut } from "@/lib/validators/bitrix24";
import { and, desc, eq, lt, sql, type SQL } from "drizzle-orm";
import { bitrix24Attempts, bitrix24Links, leads, pipelineStages } from "@/db/schema";
import { getLeadDto, type Viewer } from "@/lib/services/leads";
import type { Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import type { TBitrix24LogQuery } from "@/lib/validators/bitrix24";
import { currentWaitMs } from "./bucket";
import { maskWebhookUrl } from "./client";
import { findConnection, webhookOf } from "./connection";
import { kickSync } from "@/lib/services/bitrix24-queue";

// What Settings → Integrations and the sync log show: the connection (secrets masked), its health,
// and the log of attempts; "retry now".

export async function getBitrix24Overview(tx: Tx, tenantId: string) {
  const conn = await findConnection(tx, tenantId);
  const stages = await tx.select({ key: pipelineStages.key, labels: pipelineStages.labels, statusId: pipelineStages.bitrixStatusId }).from(pipelineStages).orderBy(pipelineStages.position);
  if (!conn) return { connected: false as const, stages: stages.map((s) => ({ ...s, statusId: stageStatusOut(s.key, s.statusId) })) };
  const [counts] = (await tx.execute(sql`
    select count(*) filter (where state = 'pending')::int as pending,
      count(*) filter (where state = 'failed')::int as failed,
      min(next_at) filter (where state = 'pending') as next_at
    from bitrix24_ops where tenant_id = ${tenantId}::uuid`)) as unknown as { pending: number; failed: number; next_at: string | null }[];
  const [linked] = (await tx.execute(sql`select count(*)::int as n from bitrix24_links where tenant_id = ${tenantId}::uuid`)) as unknown as { n: number }[];
  let url = "";
  try {
    url = maskWebhookUrl(webhookOf(conn));
  } catch {
    url = `${conn.portalHost} (the stored URL cannot be opened with this APP_ENCRYPTION_KEY)`;
  }
  return {
    connected: true as const,
    portal: conn.portalHost,
    webhookUrl: url,
    portalUserId: conn.portalUserId,
    portalUserName: conn.portalUserName,
    tokenSet: Boolean(conn.appTokenHash),
    memberId: conn.memberId,
    enabled: conn.enabled,
    syncLeads: conn.syncLeads,
    syncStatusOut: conn.syncStatusOut,
    syncStatusIn: conn.syncStatusIn,
    portalStages: conn.stages,
    statusMapIn: conn.statusMapIn,
    sourceMap: conn.sourceMap,
    userMap: conn.userMap,
    brokenReason: conn.brokenReason,
    brokenAt: conn.brokenAt?.toISOString() ?? null,
    lastSuccessAt: conn.lastSuccessAt?.toISOString() ?? null,
    pending: counts?.pending ?? 0,
    failed: counts?.failed ?? 0,
    nextAt: counts?.next_at ? new Date(counts.next_at).toISOString() : null,
    linked: linked?.n ?? 0,
    bucketWaitMs: await currentWaitMs(conn.portalHost),
    stages: stages.map((s) => ({ ...s, statusId: stageStatusOut(s.key, s.statusId) })),
  };
}

export type Bitrix24Overview = Awaited<ReturnType<typeof getBitrix24Overview>>;

/** The sync log, newest first, keyset-paged by id. */
export async function listAttempts(tx: Tx, q: TBitrix24LogQuery) {
  const where: SQL[] = [];
  if (q.failed) where.push(sql`${bitrix24Attempts.outcome} in ('failed', 'retry')`);
  if (q.leadId) where.push(eq(bitrix24Attempts.leadId, q.leadId));
  if (q.cursor) where.push(lt(bitrix24Attempts.id, q.cursor));
  const limit = q.limit ?? 50;
  const rows = await tx
    .select({ a: bitrix24Attempts, leadName: leads.name, leadEmail: leads.email, leadPhone: leads.phone, bitrixId: leads.bitrixId, opState: sql<string | null>`(select state from bitrix24_ops o where o.id = ${bitrix24Attempts.opId})` })
    .from(bitrix24Attempts)
    .leftJoin(leads, eq(leads.id, bitrix24Attempts.leadId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(bitrix24Attempts.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((r) => ({
    id: r.a.id,
    opId: r.a.opId,
    opState: r.opState,
    leadId: r.a.leadId,
    lead: r.a.leadId ? r.leadName ?? r.leadEmail ?? r.leadPhone ?? null : null,
    bitrixId: r.bitrixId,
    method: r.a.method,
    request: r.a.request,
    httpStatus: r.a.httpStatus,
    response: r.a.response,
    outcome: r.a.outcome,
    error: r.a.error,
    nextAt: r.a.nextAt?.toISOString() ?? null,
    durationMs: r.a.durationMs,
    createdAt: r.a.createdAt.toISOString(),
  }));
  return { items, nextCursor: rows.length > limit ? items[items.length - 1]!.id : null };
}

/**
 * "Retry now": failed ops (all, or one lead's) go back to the queue, due at once; waiting ones are due
 * at once too — except an add whose last request may still be running on the portal (it waits to be
 * looked up, or it could be added twice).
 */
export async function retryNow(tx: Tx, tenantId: string, opts: { leadId?: string } = {}): Promise<{ queued: number }> {
  const conn = await findConnection(tx, tenantId);
  if (!conn) throw new AppError("not_found", "Bitrix24 is not connected");
  const lead = opts.leadId ? sql`and lead_id = ${opts.leadId}::uuid` : sql``;
  const rows = (await tx.execute(sql`
    update bitrix24_ops set state = 'pending', next_at = now(), attempts = case when state = 'failed' then 0 else attempts end,
      created_at = case when state = 'failed' then now() else created_at end, done_at = null
    where tenant_id = ${tenantId}::uuid and (state = 'failed' or (state = 'pending' and next_at > now() and not uncertain)) ${lead}
    returning id`)) as unknown as unknown[];
  // A retry after a refusal means the owner fixed something: try again.
  await tx.execute(sql`update bitrix24_connections set broken_at = null, broken_reason = null where tenant_id = ${tenantId}::uuid`);
  await kickSync(tx, tenantId);
  return { queued: rows.length };
}

/**
 * One lead's place in Bitrix24 for the lead page (any member who may see the lead): its id and a
 * link into the portal, or what is pending / why it failed.
 */
export async function getLeadSync(tx: Tx, tenantId: string, viewer: Viewer, leadId: string) {
  await getLeadDto(tx, viewer, leadId); // visibility (404 otherwise)
  const conn = await findConnection(tx, tenantId);
  if (!conn) return { connected: false as const };
  const [link] = await tx.select().from(bitrix24Links).where(eq(bitrix24Links.leadId, leadId)).limit(1);
  const [op] = (await tx.execute(sql`
    select state, last_error, next_at, kind from bitrix24_ops where tenant_id = ${tenantId}::uuid and lead_id = ${leadId}::uuid
    order by (state = 'pending') desc, id desc limit 1`)) as unknown as { state: string; last_error: string | null; next_at: string | Date; kind: string }[];
  const state = op?.state === "pending" ? "pending" : link ? "synced" : op?.state === "failed" ? "failed" : "none";
  return {
    connected: true as const,
    portal: conn.portalHost,
    bitrixId: link?.bitrixId ?? null,
    url: link ? `${/^(localhost|127\.|\[::1\])/.test(conn.portalHost) ? "http" : "https"}://${conn.portalHost}/crm/lead/details/${link.bitrixId}/` : null,
    syncedAt: link?.syncedAt.toISOString() ?? null,
    state: state as "pending" | "synced" | "failed" | "none",
    error: op && op.state !== "done" ? op.last_error : null,
    nextAt: op?.state === "pending" ? new Date(op.next_at).toISOString() : null,
    broken: conn.brokenReason,
  };
}

/** The owner's in-app notice (every page's header): sending stopped, or leads that failed to go. */
export async function getBitrix24Alert(tx: Tx, tenantId: string): Promise<{ broken: string | null; failed: number } | null> {
  const [r] = (await tx.execute(sql`
    select c.broken_reason, (select count(*)::int from bitrix24_ops o where o.tenant_id = c.tenant_id and o.state = 'failed') as failed
    from bitrix24_connections c where c.tenant_id = ${tenantId}::uuid and c.enabled`)) as unknown as { broken_reason: string | null; failed: number }[];
  if (!r || (!r.broken_reason && !r.failed)) return null;
  return { broken: r.broken_reason, failed: r.failed };
}
