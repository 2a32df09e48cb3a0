import "server-only";
import { stageStatusOut } from "@/lib/validators/bitrix24";
import { eq, sql } from "drizzle-orm";
import { bitrix24Attempts, bitrix24Connections, bitrix24Links, leadEvents, leads, pipelineStages } from "@/db/schema";
import { withTenant, type Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { bitrix24PullRef } from "@/lib/jobs/refs";
import { tokenMatches } from "@/lib/secrets";
import { API_VIEWER, changeLead } from "@/lib/services/leads";
import type { TBitrix24Event } from "@/lib/validators/bitrix24";
import { batch, Bitrix24Error, call, scrub, type WebhookUrl } from "./client";
import { findConnection, takeSlot, webhookOf, type Connection } from "./connection";
import { ORIGINATOR_ID, parseStages, sameHost, statusIn } from "./mapping";

// Bitrix24 → LeadFlow: outbound events (verified, answered at once, worked in a job that re-reads
// the lead through our own webhook — the event carries only an id, BITRIX24_CONTRACT §8), and the
// periodic reconcile that catches events the portal never delivered (it does not retry them).

const LEAD_EVENTS = new Set(["ONCRMLEADUPDATE", "ONCRMLEADADD", "ONCRMLEADDELETE"]);


/**
 * Check an event against the tenant's connection — the application token in constant time, the
 * portal's domain, and its member id once known — and queue its work. Throws `forbidden` (nothing
 * written) for anything that does not match.
 */
export async function acceptEvent(tenantId: string, event: TBitrix24Event): Promise<{ queued: boolean }> {
  return withTenant(tenantId, async (tx) => {
    const conn = await findConnection(tx, tenantId);
    // Every check runs, so a forger learns nothing from timing about which one failed; a tenant
    // without Bitrix24 answers the same, so the endpoint does not tell which tenants are connected.
    const tokenOk = tokenMatches(event.auth.application_token, conn?.appTokenHash ?? null);
    const domainOk = sameHost(event.auth.domain, conn?.portalHost ?? "");
    const memberOk = !conn?.memberId || event.auth.member_id === conn.memberId;
    if (!conn || !tokenOk || !domainOk || !memberOk) throw new AppError("forbidden", "The event's application token, domain or member id does not match this tenant's Bitrix24");
    if (!conn.memberId && event.auth.member_id) {
      await tx.update(bitrix24Connections).set({ memberId: event.auth.member_id }).where(eq(bitrix24Connections.tenantId, tenantId));
    }
    if (!LEAD_EVENTS.has(event.event.toUpperCase()) || !conn.enabled) return { queued: false };
    const bitrixId = Number(event.data.FIELDS.ID);
    // A burst of events for one lead needs one re-read: the job key folds them.
    await enqueue(tx, bitrix24PullRef, { tenantId, bitrixId }, { jobKey: `b24pull:${tenantId}:${bitrixId}` });
    return { queued: true };
  });
}

type Remote = { ID: string | number; STATUS_ID?: string | null; DATE_MODIFY?: string | null };

/**
 * Bring one Bitrix24 lead's state into LeadFlow. Echo-safe: when the portal's STATUS_ID is what
 * the lead's own status maps to (our update coming back) or what was last agreed, nothing changes;
 * a change applied here is marked as from Bitrix24 and is not pushed back.
 */
export async function applyRemote(tx: Tx, tenantId: string, conn: Connection, remote: Remote): Promise<"changed" | "unchanged" | "unknown"> {
  const bitrixId = Number(remote.ID);
  // Locked: an event's re-read and the reconcile may apply the same lead at once.
  const [link] = await tx.select().from(bitrix24Links).where(eq(bitrix24Links.bitrixId, bitrixId)).limit(1).for("update");
  if (!link) return "unknown";
  const s = remote.STATUS_ID;
  if (!s || !conn.syncStatusIn) return "unchanged";
  // A change made here is on its way there: it is newer than what the portal shows now.
  const [queued] = (await tx.execute(sql`select 1 from bitrix24_ops where tenant_id = ${tenantId}::uuid and lead_id = ${link.leadId}::uuid and kind = 'status' and state = 'pending' limit 1`)) as unknown as unknown[];
  if (queued) return "unchanged";
  const [lead] = await tx.select({ status: leads.status }).from(leads).where(eq(leads.id, link.leadId)).limit(1);
  if (!lead) return "unknown";
  const stages = await tx.select({ key: pipelineStages.key, statusId: pipelineStages.bitrixStatusId }).from(pipelineStages);
  const out = stageStatusOut(lead.status, stages.find((st) => st.key === lead.status)?.statusId);
  if (s === out || s === link.statusId) {
    if (link.statusId !== s) await tx.update(bitrix24Links).set({ statusId: s }).where(eq(bitrix24Links.leadId, link.leadId));
    return "unchanged";
  }
  const target = statusIn(s, conn.stages, conn.statusMapIn, new Set(stages.map((st) => st.key)));
  await tx.update(bitrix24Links).set({ statusId: s, syncedAt: new Date() }).where(eq(bitrix24Links.leadId, link.leadId));
  if (target === lead.status) return "unchanged";
  await changeLead(tx, API_VIEWER, link.leadId, { status: target, origin: "bitrix24" }, null);
  return "changed";
}

async function logPull(tx: Tx, tenantId: string, leadId: string | null, method: string, request: unknown, outcome: string, extra: Partial<typeof bitrix24Attempts.$inferInsert> = {}) {
  await tx.insert(bitrix24Attempts).values({ tenantId, leadId, method, request, outcome, ...extra });
}

/** The event job: re-read the lead through our webhook and apply it. Transient failures throw (the job retries). */
export async function pullLead(tenantId: string, bitrixId: number): Promise<"changed" | "unchanged" | "unknown" | "unlinked" | "skipped"> {
  const state = await withTenant(tenantId, async (tx) => {
    const conn = await findConnection(tx, tenantId);
    const [link] = await tx.select().from(bitrix24Links).where(eq(bitrix24Links.bitrixId, bitrixId)).limit(1);
    return { conn, link };
  });
  const { conn, link } = state;
  if (!conn || !conn.enabled || conn.brokenAt || !link) return "skipped";
  const w = webhookOf(conn);
  if (!(await takeSlot(w.host, 20_000))) throw new Error("the Bitrix24 request limit is busy; retrying");
  try {
    const { envelope, durationMs } = await call<Remote>(w, "crm.lead.get", { id: bitrixId });
    return await withTenant(tenantId, async (tx) => {
      const r = await applyRemote(tx, tenantId, conn, envelope.result);
      await logPull(tx, tenantId, link.leadId, "crm.lead.get", { id: bitrixId }, "ok", { httpStatus: 200, response: { STATUS_ID: envelope.result.STATUS_ID ?? null, DATE_MODIFY: envelope.result.DATE_MODIFY ?? null, applied: r }, durationMs });
      return r;
    });
  } catch (e) {
    if (!(e instanceof Bitrix24Error)) throw e;
    return withTenant(tenantId, async (tx) => {
      const response = { error: e.code, error_description: scrub(e.description, w) };
      if (e.kind === "not_found") {
        // Deleted in Bitrix24: the lead stays here, unlinked.
        await tx.delete(bitrix24Links).where(eq(bitrix24Links.leadId, link.leadId));
        await tx.update(leads).set({ bitrixId: null, bitrixSyncedAt: null }).where(eq(leads.id, link.leadId));
        await tx.insert(leadEvents).values({ tenantId, leadId: link.leadId, type: "sync", payload: { target: "bitrix24", direction: "pull", status: "failed", externalId: String(bitrixId), error: "deleted in Bitrix24" } });
        await logPull(tx, tenantId, link.leadId, "crm.lead.get", { id: bitrixId }, "failed", { httpStatus: e.status, response, error: "deleted in Bitrix24: unlinked" });
        return "unlinked" as const;
      }
      if (e.breaksConnection) await tx.update(bitrix24Connections).set({ brokenReason: scrub(e.summary, w), brokenAt: new Date() }).where(eq(bitrix24Connections.tenantId, tenantId));
      await logPull(tx, tenantId, link.leadId, "crm.lead.get", { id: bitrixId }, e.retryable ? "retry" : "failed", { httpStatus: e.status, response, error: scrub(e.summary, w) });
      return "skipped" as const;
    }).then((r) => {
      // After the log row committed: the job retries a transient failure.
      if (e.retryable) throw e;
      return r;
    });
  }
}

/**
 * Reconcile one tenant: the leads we created that changed since the watermark (`crm.lead.list` by
 * DATE_MODIFY, ≥ so a second's ties are re-read — applying is idempotent), and the portal's stages,
 * in one batch request per page. Returns how many leads changed here.
 */
export async function reconcileTenant(tenantId: string, opts: { maxPages?: number } = {}): Promise<number> {
  const conn = await withTenant(tenantId, (tx) => findConnection(tx, tenantId));
  if (!conn || !conn.enabled || conn.brokenAt) return 0;
  const w: WebhookUrl = webhookOf(conn);
  const since = conn.reconciledTo ?? new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  let changed = 0;
  let start = 0;
  let newest = since;
  for (let page = 0; page < (opts.maxPages ?? 10); page++) {
    if (!(await takeSlot(w.host, 20_000))) break;
    const list = { filter: { ORIGINATOR_ID, ">=DATE_MODIFY": since }, select: ["ID", "STATUS_ID", "ORIGIN_ID", "DATE_MODIFY"], order: { DATE_MODIFY: "ASC", ID: "ASC" }, start };
    let res;
    try {
      res = await batch(w, [{ key: "list", method: "crm.lead.list", params: list }, ...(page === 0 ? [{ key: "stages", method: "crm.status.list", params: { filter: { ENTITY_ID: "STATUS" } } }] : [])]);
    } catch (e) {
      if (e instanceof Bitrix24Error && e.breaksConnection) {
        await withTenant(tenantId, (tx) => tx.update(bitrix24Connections).set({ brokenReason: scrub(e.summary, w), brokenAt: new Date() }).where(eq(bitrix24Connections.tenantId, tenantId)));
        return changed;
      }
      throw e;
    }
    if (res.errors.list) throw res.errors.list;
    const items = Array.isArray(res.results.list) ? (res.results.list as Remote[]) : [];
    const stages = page === 0 && !res.errors.stages ? parseStages(res.results.stages) : [];
    changed += await withTenant(tenantId, async (tx) => {
      const fresh = stages.length ? { ...conn, stages } : conn;
      let n = 0;
      for (const it of items) {
        if ((await applyRemote(tx, tenantId, fresh, it)) === "changed") n++;
        if (typeof it.DATE_MODIFY === "string" && Date.parse(it.DATE_MODIFY) > Date.parse(newest)) newest = it.DATE_MODIFY;
      }
      await tx.update(bitrix24Connections).set({ reconciledTo: newest, ...(stages.length ? { stages } : {}) }).where(eq(bitrix24Connections.tenantId, tenantId));
      return n;
    });
    const next = res.next.list;
    if (next === undefined || next <= start) break;
    start = next;
  }
  return changed;
}
