import "server-only";
import { stageStatusOut } from "@/lib/validators/bitrix24";
import { eq, inArray, sql } from "drizzle-orm";
import { bitrix24Attempts, bitrix24Connections, bitrix24Links, leadEvents, leads, pipelineStages, sites, tenants } from "@/db/schema";
import { withTenant, type Tx } from "@/db/tenant";
import { batch, Bitrix24Error, call, scrub, type BatchCommand, type BatchResult, type WebhookUrl } from "./client";
import { currentWaitMs, markFull, reserve } from "./bucket";
import { findConnection, webhookOf, type Connection } from "./connection";
import { aiSummaryComment, appendComment, leadFields, ORIGINATOR_ID, repeatHeading, submissionComment, type LeadForBitrix, type MappingContext } from "./mapping";

// The drain: sends a tenant's queued ops (`bitrix24_ops`) to its portal, in order per lead, up to
// 50 per request with `batch`, one request per slot of the shared bucket. Every answer is written
// down (the op's state, the sync log, the link) before the next request.
//
// Exactly once: an `add` whose earlier attempt may have reached the portal (`uncertain`: a
// timeout, a dropped connection, a worker that died holding the lease) is first looked up by
// ORIGINATOR_ID + ORIGIN_ID; a lead found is adopted, not added again.

const CLAIM = 50;
/** The pause between rounds of one drain (see drainTenant). */
const LINGER_MS = 150;
/** How long a claimed op is a worker's (seconds): well past a round's longest request and waits. */
const LEASE_S = 120;
/** Retry transient failures for up to a day, then give up (the op shows as failed with the last error). */
const GIVE_UP_MS = 24 * 60 * 60 * 1000;
/**
 * A request the portal may still be running: it cuts a request off after 60 s (BITRIX24_CONTRACT §7),
 * so the ORIGIN_ID lookup of an uncertain add waits that long (and a margin) to see its outcome.
 */
const UNCERTAIN_MS = 65_000;

type Op = { id: number; leadId: string; kind: "add" | "comment" | "status"; payload: Record<string, unknown>; attempts: number; uncertain: boolean; createdAt: Date; backfillId: string | null; lease: number };
type Outcome =
  | { kind: "ok"; bitrixId?: number; statusId?: string | null; method: string; request: unknown; response: unknown; adopted?: boolean }
  | { kind: "noop"; why: string }
  | { kind: "error"; error: Bitrix24Error; method: string; request: unknown; uncertain?: boolean };

export type DrainResult = { sent: number; requests: number; nextAt: Date | null; stopped?: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delay before retry `attempt` (1-based): exponential from 2 s, capped at 30 min, ±50 % jitter. */
export function backoffMs(attempt: number, kind: Bitrix24Error["kind"]): number {
  const jitter = 0.5 + Math.random();
  if (kind === "rate_limited") return Math.round(2000 * jitter);
  if (kind === "operation_limit") return Math.round(60_000 * jitter);
  if (kind === "overload") return Math.round(15 * 60_000 * jitter);
  return Math.round(Math.min(2000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000) * jitter);
}

/** Claim up to CLAIM ops: the first pending op of each lead, due, not leased by a live worker. */
async function claim(tx: Tx, tenantId: string): Promise<Op[]> {
  const rows = (await tx.execute(sql`
    with c as (
      select o.id from bitrix24_ops o
      where o.tenant_id = ${tenantId}::uuid and o.state = 'pending' and o.next_at <= now()
        and (o.lease_until is null or o.lease_until < now())
        and not exists (select 1 from bitrix24_ops p where p.tenant_id = o.tenant_id and p.lead_id = o.lead_id and p.state = 'pending' and p.id < o.id)
      order by o.next_at, o.id
      limit ${CLAIM}
      for update skip locked
    )
    update bitrix24_ops o set
      attempts = o.attempts + 1,
      -- A lease that ran out means a worker died mid-request: the portal may have the lead.
      uncertain = o.uncertain or o.lease_until is not null,
      lease_until = date_trunc('milliseconds', now() + make_interval(secs => ${LEASE_S}))
    from c where o.id = c.id
    returning o.id, o.lead_id, o.kind, o.payload, o.attempts, o.uncertain, o.created_at, o.backfill_id, o.lease_until`)) as unknown as {
    id: number;
    lead_id: string;
    kind: Op["kind"];
    payload: Record<string, unknown>;
    attempts: number;
    uncertain: boolean;
    created_at: Date | string;
    backfill_id: string | null;
    lease_until: Date | string;
  }[];
  return rows
    .map((r) => ({ id: Number(r.id), leadId: r.lead_id, kind: r.kind, payload: r.payload, attempts: r.attempts, uncertain: r.uncertain, createdAt: new Date(r.created_at), backfillId: r.backfill_id, lease: new Date(r.lease_until).getTime() }))
    .sort((a, b) => a.id - b.id);
}

type Context = {
  leads: Map<string, LeadForBitrix>;
  links: Map<string, { bitrixId: number; statusId: string | null }>;
  mapping: MappingContext;
};

async function loadContext(tx: Tx, tenantId: string, conn: Connection, ops: Op[]): Promise<Context> {
  const ids = [...new Set(ops.map((o) => o.leadId))];
  const rows = await tx
    .select({ lead: leads, siteName: sites.name })
    .from(leads)
    .leftJoin(sites, eq(sites.id, leads.siteId))
    .where(inArray(leads.id, ids));
  const links = await tx.select().from(bitrix24Links).where(inArray(bitrix24Links.leadId, ids));
  const stages = await tx.select({ key: pipelineStages.key, statusId: pipelineStages.bitrixStatusId }).from(pipelineStages);
  const [tenant] = await tx.select({ locale: tenants.locale }).from(tenants).where(eq(tenants.id, tenantId));
  const out = new Map(stages.map((s) => [s.key, stageStatusOut(s.key, s.statusId)]));
  return {
    leads: new Map(
      rows.map(({ lead: l, siteName }) => [
        l.id,
        {
          id: l.id,
          channel: l.channel,
          siteId: l.siteId,
          siteName,
          name: l.name,
          email: l.email,
          phone: l.phone,
          company: l.company,
          message: l.message,
          form: l.form,
          pageUrl: l.pageUrl,
          referrer: l.referrer,
          utm: { source: l.utmSource, medium: l.utmMedium, campaign: l.utmCampaign, term: l.utmTerm, content: l.utmContent },
          consent: l.consent,
          customFields: l.customFields,
          aiSummary: l.aiSummary,
          spam: l.spam,
          status: l.status,
          assigneeId: l.assigneeId,
        },
      ]),
    ),
    links: new Map(links.map((k) => [k.leadId, { bitrixId: k.bitrixId, statusId: k.statusId }])),
    mapping: { statusOut: (s) => out.get(s) ?? "IN_PROCESS", sourceMap: conn.sourceMap, userMap: conn.userMap, locale: tenant?.locale === "en" ? "en" : "ru" },
  };
}

/** Portals (by host) whose REST answers `batch` with ERROR_METHOD_NOT_FOUND: one request per command there. */
const noBatch = new Set<string>();

type SendResult = Pick<BatchResult, "results" | "errors"> & { uncertain: Set<string>; requests: number };

/** Wait for a slot in the portal's bucket (shared by every process); false: none soon. */
async function slot(w: WebhookUrl): Promise<boolean> {
  const wait = await reserve(w.host);
  if (wait === null) return false;
  if (wait > 0) await sleep(wait);
  return true;
}

async function full<T>(w: WebhookUrl, p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof Bitrix24Error && e.kind === "rate_limited") await markFull(w.host);
    throw e;
  }
}

/**
 * Send commands: one as a plain call, several as one `batch` (one slot for all) — or one call each
 * on a portal without `batch`. Null: no slot soon, nothing sent. Throws when the first request
 * failed as a whole (the caller then treats every command as failed that way); a later command's
 * failure is its own entry, `uncertain` when the portal may have done it anyway.
 */
async function send(w: WebhookUrl, commands: BatchCommand[]): Promise<SendResult | null> {
  if (commands.length > 1 && !noBatch.has(w.host)) {
    if (!(await slot(w))) return null;
    try {
      const r = await full(w, batch(w, commands));
      return { results: r.results, errors: r.errors, uncertain: new Set(), requests: 1 };
    } catch (e) {
      if (!(e instanceof Bitrix24Error) || e.code !== "ERROR_METHOD_NOT_FOUND") throw e;
      noBatch.add(w.host); // and on, one by one
    }
  }
  const out: SendResult = { results: {}, errors: {}, uncertain: new Set(), requests: 0 };
  const started = Date.now();
  for (const [i, c] of commands.entries()) {
    // Well inside the ops' lease: what is left goes in the next round.
    if (i > 0 && Date.now() - started > 45_000) break;
    if (!(await slot(w))) {
      if (i === 0) return null;
      break;
    }
    out.requests++;
    try {
      out.results[c.key] = (await full(w, call(w, c.method, c.params))).envelope.result;
    } catch (e) {
      if (!(e instanceof Bitrix24Error)) throw e;
      if (i === 0 && (e.retryable || e.breaksConnection)) throw e;
      out.errors[c.key] = e;
      if (e.kind === "transient") out.uncertain.add(c.key);
      // The portal is refusing or full: the rest waits for the next round.
      if (e.retryable || e.breaksConnection) break;
    }
  }
  for (const c of commands) {
    if (!(c.key in out.results) && !(c.key in out.errors)) out.errors[c.key] = new Bitrix24Error("transient", null, "NOT_RUN", "not run (the batch stopped before it)");
  }
  return out;
}

/** A comment op's block: the repeat submission (payload = the submission event's payload) or a text. */
function commentBlock(op: Op, ctx: Context): string {
  const p = op.payload as { aiSummary?: string; message?: string | null; form?: string | null; fields?: { pageUrl?: string | null; referrer?: string | null; customFields?: Record<string, unknown> }; at?: string };
  if (typeof p.aiSummary === "string") return aiSummaryComment(ctx.mapping.locale, p.aiSummary);
  return submissionComment(
    { message: p.message ?? null, form: p.form ?? null, pageUrl: p.fields?.pageUrl ?? null, referrer: p.fields?.referrer ?? null, customFields: p.fields?.customFields ?? {} },
    ctx.mapping.locale,
    repeatHeading(ctx.mapping.locale, p.at ? new Date(p.at) : new Date()),
  );
}

/**
 * Send one claimed round: a lookup/read request when needed (uncertain adds by ORIGIN_ID, the
 * current COMMENTS of leads getting a comment), then one batch with every add and update.
 * Returns each op's outcome, or null when the bucket had no slot in time.
 */
async function sendRound(w: WebhookUrl, ops: Op[], ctx: Context): Promise<{ outcomes: Map<number, Outcome>; requests: number } | null> {
  const outcomes = new Map<number, Outcome>();
  let requests = 0;
  const failAll = (list: Op[], error: Bitrix24Error, method: string, request: (o: Op) => unknown, uncertain: boolean) => {
    for (const o of list) outcomes.set(o.id, { kind: "error", error, method, request: request(o), uncertain: uncertain && o.kind === "add" });
  };

  // Ops that cannot be sent: the lead is gone, or Bitrix24 does not have it (its add failed).
  const live: Op[] = [];
  for (const o of ops) {
    if (!ctx.leads.has(o.leadId)) outcomes.set(o.id, { kind: "noop", why: "the lead was deleted" });
    else if (o.kind === "add" && ctx.leads.get(o.leadId)!.spam) outcomes.set(o.id, { kind: "noop", why: "the lead is spam" });
    else if (o.kind !== "add" && !ctx.links.has(o.leadId)) outcomes.set(o.id, { kind: "noop", why: "the lead is not in Bitrix24" });
    else if (o.kind === "add" && ctx.links.has(o.leadId)) outcomes.set(o.id, { kind: "noop", why: "already in Bitrix24" });
    else live.push(o);
  }

  // 1. Lookups and reads.
  const lookups = live.filter((o) => o.kind === "add" && o.uncertain);
  const comments = live.filter((o) => o.kind === "comment");
  const found = new Map<string, { id: number; statusId: string | null }>();
  const current = new Map<number, unknown>();
  if (lookups.length || comments.length) {
    const cmds: BatchCommand[] = [];
    const lookupParams = { filter: { ORIGINATOR_ID, "@ORIGIN_ID": lookups.map((o) => o.leadId) }, select: ["ID", "ORIGIN_ID", "STATUS_ID"], order: { ID: "ASC" } };
    if (lookups.length) cmds.push({ key: "lookup", method: "crm.lead.list", params: lookupParams });
    for (const o of comments) cmds.push({ key: `g${o.id}`, method: "crm.lead.get", params: { id: ctx.links.get(o.leadId)!.bitrixId } });
    let res;
    try {
      res = await send(w, cmds);
    } catch (e) {
      if (!(e instanceof Bitrix24Error)) throw e;
      failAll([...lookups, ...comments], e, cmds.length === 1 ? cmds[0]!.method : "batch", () => (cmds.length === 1 ? cmds[0]!.params : { cmd: cmds.map((c) => c.method) }), false);
      return { outcomes, requests: requests + 1 };
    }
    if (!res) return null;
    requests += res.requests;
    if (lookups.length) {
      const err = res.errors.lookup;
      if (err) failAll(lookups, err, "crm.lead.list", () => lookupParams, false);
      const items = Array.isArray(res.results.lookup) ? (res.results.lookup as Record<string, unknown>[]) : [];
      for (const it of items) {
        // The lowest ID wins: should two exist (another integration's copy), we adopt the first.
        if (typeof it.ORIGIN_ID === "string" && !found.has(it.ORIGIN_ID)) found.set(it.ORIGIN_ID, { id: Number(it.ID), statusId: typeof it.STATUS_ID === "string" ? it.STATUS_ID : null });
      }
      for (const o of lookups) {
        const f = found.get(o.leadId);
        if (f) outcomes.set(o.id, { kind: "ok", adopted: true, bitrixId: f.id, statusId: f.statusId, method: "crm.lead.list", request: lookupParams, response: { ID: String(f.id), STATUS_ID: f.statusId } });
      }
    }
    for (const o of comments) {
      const err = res.errors[`g${o.id}`];
      if (err) outcomes.set(o.id, { kind: "error", error: err, method: "crm.lead.get", request: { id: ctx.links.get(o.leadId)!.bitrixId } });
      else current.set(o.id, (res.results[`g${o.id}`] as Record<string, unknown> | undefined)?.COMMENTS);
    }
  }

  // 2. Adds and updates, one batch.
  const cmds: (BatchCommand & { op: Op; statusId?: string })[] = [];
  for (const o of live) {
    if (outcomes.has(o.id)) continue;
    const lead = ctx.leads.get(o.leadId)!;
    const target = ctx.mapping.statusOut(lead.status);
    if (o.kind === "add") {
      cmds.push({ key: `o${o.id}`, method: "crm.lead.add", params: { fields: leadFields(lead, ctx.mapping), params: { REGISTER_SONET_EVENT: "Y" } }, op: o, statusId: target });
    } else if (o.kind === "status") {
      const link = ctx.links.get(o.leadId)!;
      if (link.statusId === target) outcomes.set(o.id, { kind: "noop", why: `already ${target} in Bitrix24` });
      else cmds.push({ key: `o${o.id}`, method: "crm.lead.update", params: { id: link.bitrixId, fields: { STATUS_ID: target } }, op: o, statusId: target });
    } else {
      const link = ctx.links.get(o.leadId)!;
      const block = commentBlock(o, ctx);
      // Already there (a retry after a lost answer, or the add carried it): not twice.
      if (typeof current.get(o.id) === "string" && (current.get(o.id) as string).includes(block)) outcomes.set(o.id, { kind: "noop", why: "already in Bitrix24" });
      else cmds.push({ key: `o${o.id}`, method: "crm.lead.update", params: { id: link.bitrixId, fields: { COMMENTS: appendComment(current.get(o.id), block) } }, op: o });
    }
  }
  if (cmds.length) {
    let res;
    try {
      res = await send(w, cmds);
    } catch (e) {
      if (!(e instanceof Bitrix24Error)) throw e;
      // No answer (timeout, reset, 5xx): the portal may have done some of it.
      const uncertain = e.retryable && e.kind === "transient";
      for (const c of cmds) outcomes.set(c.op.id, { kind: "error", error: e, method: c.method, request: c.params, uncertain: uncertain && c.op.kind === "add" });
      return { outcomes, requests: requests + 1 };
    }
    if (!res) {
      // No slot now: what was read stays unsent; these ops come again shortly.
      return outcomes.size ? { outcomes, requests } : null;
    }
    requests += res.requests;
    for (const c of cmds) {
      const err = res.errors[c.key];
      if (err) outcomes.set(c.op.id, { kind: "error", error: err, method: c.method, request: c.params, uncertain: res.uncertain.has(c.key) && c.op.kind === "add" });
      else {
        const result = res.results[c.key];
        const bitrixId = c.method === "crm.lead.add" ? Number(result) : undefined;
        if (bitrixId !== undefined && !(bitrixId > 0)) outcomes.set(c.op.id, { kind: "error", error: new Bitrix24Error("transient", 200, "", "the portal answered without a lead id"), method: c.method, request: c.params, uncertain: true });
        else outcomes.set(c.op.id, { kind: "ok", bitrixId, statusId: c.statusId ?? null, method: c.method, request: c.params, response: result });
      }
    }
  }
  return { outcomes, requests };
}

/** Write one round's outcomes: op states, the log, links, the lead's Bitrix24 id, timeline events. */
async function record(tx: Tx, tenantId: string, conn: Connection, w: WebhookUrl, ops: Op[], outcomes: Map<number, Outcome>, durationMs: number): Promise<{ sent: number; broken: Bitrix24Error | null }> {
  let sent = 0;
  let broken: Bitrix24Error | null = null;
  const now = new Date();
  const attempts: (typeof bitrix24Attempts.$inferInsert)[] = [];
  const events: (typeof leadEvents.$inferInsert)[] = [];
  // Fenced: an op whose lease ran out and was claimed again belongs to that other worker now.
  const held = (await tx.execute(sql`select id, lease_until from bitrix24_ops where id = any(${sql.param(ops.map((o) => o.id))}::bigint[]) for update`)) as unknown as { id: number | string; lease_until: Date | string | null }[];
  const mine = new Set(held.filter((h) => h.lease_until && new Date(h.lease_until).getTime() === ops.find((o) => o.id === Number(h.id))?.lease).map((h) => Number(h.id)));
  for (const o of ops) {
    if (!mine.has(o.id)) continue;
    const r = outcomes.get(o.id);
    if (!r) {
      // Not sent this round (no slot): back in the queue untouched.
      await tx.execute(sql`update bitrix24_ops set lease_until = null, attempts = greatest(0, attempts - 1), next_at = now() + interval '3 seconds' where id = ${o.id}`);
      continue;
    }
    if (r.kind === "noop") {
      await tx.execute(sql`update bitrix24_ops set state = 'skipped', lease_until = null, last_error = ${r.why}, done_at = now() where id = ${o.id}`);
      attempts.push({ tenantId, opId: o.id, leadId: o.leadId, method: "—", outcome: "skipped", error: r.why, createdAt: now });
      continue;
    }
    if (r.kind === "ok") {
      sent++;
      await tx.execute(sql`update bitrix24_ops set state = 'done', lease_until = null, last_error = null, done_at = now() where id = ${o.id}`);
      attempts.push({ tenantId, opId: o.id, leadId: o.leadId, method: r.method, request: r.request, httpStatus: 200, response: r.response ?? null, outcome: r.adopted ? "adopted" : "ok", durationMs, createdAt: now });
      if (o.kind === "add" && r.bitrixId) {
        await tx
          .insert(bitrix24Links)
          .values({ tenantId, leadId: o.leadId, portalHost: conn.portalHost, bitrixId: r.bitrixId, statusId: r.statusId ?? null })
          .onConflictDoUpdate({ target: [bitrix24Links.tenantId, bitrix24Links.leadId], set: { portalHost: conn.portalHost, bitrixId: r.bitrixId, statusId: r.statusId ?? null, syncedAt: now } });
        await tx.update(leads).set({ bitrixId: String(r.bitrixId), bitrixSyncedAt: now }).where(eq(leads.id, o.leadId));
        events.push({ tenantId, leadId: o.leadId, type: "sync", payload: { target: "bitrix24", direction: "push", status: "ok", externalId: String(r.bitrixId) }, createdAt: now });
      } else {
        await tx
          .update(bitrix24Links)
          .set({ syncedAt: now, ...(o.kind === "status" && r.statusId ? { statusId: r.statusId } : {}) })
          .where(eq(bitrix24Links.leadId, o.leadId));
        await tx.update(leads).set({ bitrixSyncedAt: now }).where(eq(leads.id, o.leadId));
      }
      continue;
    }
    const e = r.error;
    const summary = scrub(e.summary, w).slice(0, 1000);
    const base = { tenantId, opId: o.id, leadId: o.leadId, method: r.method, request: r.request, httpStatus: e.status, response: { error: e.code, error_description: scrub(e.description, w).slice(0, 2000) }, error: summary, durationMs, createdAt: now };
    if (e.breaksConnection) {
      // The webhook is refused: keep every op, stop until the owner reconnects.
      broken ??= e;
      await tx.execute(sql`update bitrix24_ops set lease_until = null, attempts = greatest(0, attempts - 1), last_error = ${summary} where id = ${o.id}`);
      attempts.push({ ...base, outcome: "retry", error: `${summary} — sending stopped until Bitrix24 is reconnected` });
    } else if (e.retryable && now.getTime() - o.createdAt.getTime() < GIVE_UP_MS) {
      const uncertain = Boolean(r.uncertain) || (o.kind === "add" && o.uncertain);
      const nextAt = new Date(now.getTime() + Math.max(backoffMs(o.attempts, e.kind), uncertain && r.uncertain ? UNCERTAIN_MS : 0));
      await tx.execute(sql`update bitrix24_ops set lease_until = null, next_at = ${nextAt.toISOString()}::timestamptz, last_error = ${summary}, uncertain = uncertain or ${uncertain} where id = ${o.id}`);
      attempts.push({ ...base, outcome: "retry", nextAt });
    } else {
      const reason = e.retryable ? `${summary} (gave up after 24 h)` : e.kind === "not_found" ? `${summary}: the lead was deleted in Bitrix24` : summary;
      await tx.execute(sql`update bitrix24_ops set state = 'failed', lease_until = null, last_error = ${reason}, done_at = now() where id = ${o.id}`);
      attempts.push({ ...base, outcome: "failed", error: reason });
      if (e.kind === "not_found") {
        await tx.delete(bitrix24Links).where(eq(bitrix24Links.leadId, o.leadId));
        await tx.update(leads).set({ bitrixId: null, bitrixSyncedAt: null }).where(eq(leads.id, o.leadId));
      }
      if (o.kind === "add") {
        // The lead never reached Bitrix24: what was queued after it cannot be sent either.
        await tx.execute(sql`update bitrix24_ops set state = 'skipped', last_error = 'the lead is not in Bitrix24', done_at = now() where tenant_id = ${tenantId}::uuid and lead_id = ${o.leadId}::uuid and state = 'pending' and id > ${o.id}`);
      }
      events.push({ tenantId, leadId: o.leadId, type: "sync", payload: { target: "bitrix24", direction: "push", status: "failed", error: reason }, createdAt: now });
    }
  }
  if (attempts.length) await tx.insert(bitrix24Attempts).values(attempts);
  if (events.length) await tx.insert(leadEvents).values(events);
  if (broken) {
    await tx.update(bitrix24Connections).set({ brokenReason: scrub(broken.summary, w).slice(0, 500), brokenAt: now }).where(eq(bitrix24Connections.tenantId, conn.tenantId));
  } else if (sent) {
    await tx.update(bitrix24Connections).set({ lastSuccessAt: now }).where(eq(bitrix24Connections.tenantId, conn.tenantId));
  }
  return { sent, broken };
}

/**
 * When the tenant's next queued op can be sent (null: nothing queued, or sending is stopped): the
 * first pending op of each lead only — one behind another waits for it, whatever its own time.
 */
export async function nextDue(tx: Tx, tenantId: string): Promise<Date | null> {
  const rows = (await tx.execute(sql`
    select min(greatest(o.next_at, coalesce(o.lease_until, o.next_at))) as at from bitrix24_ops o
    join bitrix24_connections c on c.tenant_id = o.tenant_id and c.enabled and c.broken_at is null
    where o.tenant_id = ${tenantId}::uuid and o.state = 'pending'
      and not exists (select 1 from bitrix24_ops p where p.tenant_id = o.tenant_id and p.lead_id = o.lead_id and p.state = 'pending' and p.id < o.id)`)) as unknown as { at: string | Date | null }[];
  return rows[0]?.at ? new Date(rows[0].at) : null;
}

/**
 * Send what the tenant has queued, round after round, for at most `budgetMs` (the job then queues
 * itself again at the next op's time). Safe to run in several processes at once: ops are leased.
 */
export async function drainTenant(tenantId: string, opts: { budgetMs?: number } = {}): Promise<DrainResult> {
  const started = Date.now();
  const budget = opts.budgetMs ?? 25_000;
  let sent = 0;
  let requests = 0;
  let host: string | null = null;
  for (;;) {
    // After a round (the first goes at once): a moment's pause, longer when the bucket makes us wait,
    // so leads still arriving share a request instead of spending the portal's burst one by one.
    if (host) {
      const wait = await currentWaitMs(host);
      await sleep(Math.max(LINGER_MS, Math.min(wait, 5_000)));
    }
    type Round = { kind: "stop"; stop: string | null } | { kind: "go"; conn: Connection; ops: Op[]; ctx: Context };
    const round = await withTenant(tenantId, async (tx): Promise<Round> => {
      const conn = await findConnection(tx, tenantId);
      if (!conn || !conn.enabled) return { kind: "stop", stop: "not connected" };
      if (conn.brokenAt) return { kind: "stop", stop: `stopped: ${conn.brokenReason}` };
      const ops = await claim(tx, tenantId);
      if (!ops.length) return { kind: "stop", stop: null };
      return { kind: "go", conn, ops, ctx: await loadContext(tx, tenantId, conn, ops) };
    });
    if (round.kind === "stop") {
      const nextAt = round.stop ? null : await withTenant(tenantId, (tx) => nextDue(tx, tenantId));
      return { sent, requests, nextAt, ...(round.stop ? { stopped: round.stop } : {}) };
    }
    const w = webhookOf(round.conn);
    host = w.host;
    const t0 = performance.now();
    const res = await sendRound(w, round.ops, round.ctx);
    const durationMs = Math.round(performance.now() - t0);
    const { sent: n, broken } = await withTenant(tenantId, (tx) => record(tx, tenantId, round.conn, w, round.ops, res?.outcomes ?? new Map(), durationMs));
    sent += n;
    requests += res?.requests ?? 0;
    if (broken) return { sent, requests, nextAt: null, stopped: broken.summary };
    if (!res || Date.now() - started > budget) {
      const nextAt = await withTenant(tenantId, (tx) => nextDue(tx, tenantId));
      return { sent, requests, nextAt };
    }
  }
}

/** Tenants with a connection that is on (the reconcile sweep; owner connection, ids only). */
export async function connectedTenants(db: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> }): Promise<string[]> {
  const rows = (await db.execute(sql`select tenant_id from bitrix24_connections where enabled and broken_at is null`)) as { tenant_id: string }[];
  return rows.map((r) => r.tenant_id);
}

