import { vi } from "vitest";

// A short request timeout, so a portal that never answers costs a test a second, not ten.
vi.hoisted(() => {
  process.env.BITRIX24_TIMEOUT_MS = "700";
});

import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db";
import { bitrix24Connections, bitrix24Links, leadEvents, leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { recordIntake } from "@/lib/services/intake/write";
import { API_VIEWER, changeLead } from "@/lib/services/leads";
import { writeAnalysis } from "@/lib/services/ai";
import { splitFields, ZIntakeSchema } from "@/lib/validators/intake";
import { makeSite, makeTenant, uniq } from "@/test/factories";
import { startPortal, type Portal } from "@/test/bitrix24-portal";
import { connectBitrix24, disconnectBitrix24 } from "./connection";
import { drainTenant, nextDue } from "./sync";
import { acceptEvent, pullLead, reconcileTenant } from "./inbound";
import { queueBackfillPage, startBackfill, listBackfills } from "./backfill";
import { retryNow } from "./status";
import { todayIn } from "@/lib/working-hours";

// The Bitrix24 sync against the stand-in portal (test/bitrix24-portal.ts, built to
// BITRIX24_CONTRACT.md): pushes exactly once through every fault, status both ways without loops,
// events checked, backfill, the sealed URL. The drain and the event job run in-process here; the
// cross-process tests (two workers, a killed worker) are in ./workers.test.ts.

afterAll(() => closeDb());

let portal: Portal;
let T: Awaited<ReturnType<typeof makeTenant>>;
let site: Awaited<ReturnType<typeof makeSite>>;
const TOKEN = "apptoken1234567890abcdef";

beforeEach(async () => {
  portal = await startPortal();
  T = await makeTenant("b24");
  site = await makeSite(T.tenantId);
  await connectBitrix24(T.tenantId, T.ownerUserId, { webhookUrl: portal.webhookUrl, applicationToken: TOKEN });
});
// Disconnected afterwards, so the jobs these tests queued (and never run) do nothing when a worker of
// another test file picks them up.
afterEach(async () => {
  await withTenant(T.tenantId, (tx) => disconnectBitrix24(tx, T.tenantId, T.ownerUserId));
  await portal.close();
});

async function intake(fields: Record<string, unknown>) {
  const input = ZIntakeSchema.parse(splitFields(fields));
  const r = await recordIntake({ tenantId: T.tenantId, siteId: site.siteId, channel: "web", dedupeWindowDays: 30 }, input, { answer: { created: 201, joined: 200 } });
  if (r.kind !== "recorded") throw new Error("not recorded");
  return r.outcome.id;
}

/** Drain until nothing is queued, moving retries' times up to now (the backoff itself is tested apart). */
async function drainAll(maxRounds = 30) {
  for (let i = 0; i < maxRounds; i++) {
    await withTenant(T.tenantId, (tx) => tx.execute(sql`update bitrix24_ops set next_at = now() where state = 'pending' and next_at > now()`));
    await drainTenant(T.tenantId, { budgetMs: 5000 });
    const [r] = (await withTenant(T.tenantId, (tx) => tx.execute(sql`select count(*)::int as n from bitrix24_ops where state = 'pending'`))) as unknown as { n: number }[];
    if (r!.n === 0) return;
  }
  throw new Error("the queue did not drain");
}

const portalLeads = () => [...portal.leads.values()];
const byOrigin = (leadId: string) => portalLeads().filter((l) => l.ORIGIN_ID === leadId);
async function leadRow(id: string) {
  const [row] = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id)));
  return row!;
}

describe("push", () => {
  it("a new lead reaches Bitrix24 once, with multifields, comments, source, UTM and ORIGINATOR_ID/ORIGIN_ID", async () => {
    const id = await intake({ name: "Анна Смирнова", email: "anna@example.ru", phone: "+7 999 123-45-67", message: "Нужен сайт & SEO", utm_source: "yandex", utm_campaign: "spring", company: "ООО Ромашка" });
    await drainAll();
    const [b] = byOrigin(id);
    expect(portalLeads()).toHaveLength(1);
    expect(b).toMatchObject({ ORIGINATOR_ID: "leadflow", ORIGIN_ID: id, NAME: "Анна", LAST_NAME: "Смирнова", STATUS_ID: "NEW", SOURCE_ID: "WEB", UTM_SOURCE: "yandex", UTM_CAMPAIGN: "spring" });
    const get = await fetch(`${portal.webhookUrl}crm.lead.get.json?id=${b!.ID}`).then((r) => r.json());
    expect(get.result.PHONE).toEqual([expect.objectContaining({ VALUE: "+79991234567", VALUE_TYPE: "WORK" })]);
    expect(get.result.EMAIL).toEqual([expect.objectContaining({ VALUE: "anna@example.ru", VALUE_TYPE: "WORK" })]);
    expect(get.result.COMMENTS).toContain("Нужен сайт");
    const row = await leadRow(id);
    expect(row.bitrixId).toBe(String(b!.ID));
    expect(row.bitrixSyncedAt).not.toBeNull();
    const events = await withTenant(T.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.find((e) => e.type === "sync")?.payload).toMatchObject({ direction: "push", status: "ok", externalId: String(b!.ID) });
  });

  it("spam is not pushed; marked not spam, it is", async () => {
    const id = await intake({ email: `${uniq("s")}@example.ru`, message: "Купить виагру casino http://spam.example http://x.example http://y.example http://z.example" });
    const row = await leadRow(id);
    if (!row.spam) await withTenant(T.tenantId, (tx) => tx.update(leads).set({ spam: true }).where(eq(leads.id, id)));
    await drainAll();
    expect(byOrigin(id)).toHaveLength(0);
    await withTenant(T.tenantId, (tx) => changeLead(tx, API_VIEWER, id, { spam: false }, null));
    await drainAll();
    expect(byOrigin(id)).toHaveLength(1);
  });

  it("a repeat submission appends to the Bitrix24 lead's comments instead of creating another", async () => {
    const email = `${uniq("r")}@example.ru`;
    const id = await intake({ email, message: "Первое сообщение" });
    await drainAll();
    const b = byOrigin(id)[0]!;
    // A person adds a line in Bitrix24; it must stay.
    portal.uiUpdate(Number(b.ID), { COMMENTS: `${String(b.COMMENTS)}\nЗвонил, не дозвонился` });
    expect(await intake({ email, message: "Второе сообщение" })).toBe(id);
    await drainAll();
    expect(portalLeads()).toHaveLength(1);
    const comments = String(portal.leads.get(Number(b.ID))!.COMMENTS);
    expect(comments).toContain("Первое сообщение");
    expect(comments).toContain("Звонил, не дозвонился");
    expect(comments).toContain("Второе сообщение");
  });

  it("the AI's summary, ready after the lead was sent, follows as a comment", async () => {
    const id = await intake({ email: `${uniq("ai")}@example.ru`, message: "Нужен лендинг" });
    await drainAll();
    const b = byOrigin(id)[0]!;
    expect(String(b.COMMENTS)).not.toContain("Кратко (ИИ)");
    await withTenant(T.tenantId, (tx) => writeAnalysis(tx, T.tenantId, id, { category: "web_development", confidence: 0.9, language: "ru", score: 70, reasons: [], facts: {}, summary: "Клиенту нужен лендинг." }));
    await drainAll();
    expect(String(portal.leads.get(Number(b.ID))!.COMMENTS)).toContain("Кратко (ИИ): Клиенту нужен лендинг.");
  });

  const faults = [
    ["a 503 QUERY_LIMIT_EXCEEDED storm", "query_limit", 4],
    ["a 429 OPERATION_TIME_LIMIT", "operation_limit", 1],
    ["a 500", "internal_error", 2],
    ["a 502 proxy page", "html_502", 1],
    ["a timeout after the portal created the leads", "timeout_after_create", 1],
    ["a dropped connection after commit", "drop_after_commit", 1],
  ] as const;
  it.each(faults)("exactly once through %s", async (_label, kind, times) => {
    const ids = [await intake({ email: `${uniq("f")}@example.ru` }), await intake({ phone: `+7999${Math.floor(1e6 + Math.random() * 8e6)}` }), await intake({ email: `${uniq("f")}@example.ru` })];
    portal.fault("batch", kind, times);
    await drainAll();
    for (const id of ids) {
      expect(byOrigin(id), id).toHaveLength(1);
      expect((await leadRow(id)).bitrixId).toBe(String(byOrigin(id)[0]!.ID));
    }
    expect(portalLeads()).toHaveLength(3);
    const log = (await withTenant(T.tenantId, (tx) => tx.execute(sql`select outcome, error from bitrix24_attempts order by id`))) as unknown as { outcome: string; error: string | null }[];
    expect(log.some((l) => l.outcome === "retry")).toBe(true);
    if (kind === "timeout_after_create" || kind === "drop_after_commit") expect(log.some((l) => l.outcome === "adopted")).toBe(true);
  });

  it.each([["timeout_after_create"], ["drop_after_commit"]] as const)("one lead alone (a plain crm.lead.add) through a %s: looked up, adopted, once", async (kind) => {
    const id = await intake({ email: `${uniq("one")}@example.ru` });
    portal.fault("crm.lead.add", kind, 1);
    await drainAll();
    expect(byOrigin(id)).toHaveLength(1);
    expect((await leadRow(id)).bitrixId).toBe(String(byOrigin(id)[0]!.ID));
    const methods = portal.requests.map((r) => r.method);
    expect(methods.filter((m) => m === "crm.lead.add")).toHaveLength(1);
    expect(methods).toContain("crm.lead.list");
    expect(methods).not.toContain("batch");
  });

  it("a refused webhook stops sending with a readable reason and loses nothing; reconnected, all goes through", async () => {
    portal.setRevoked(true);
    const ids = [await intake({ email: `${uniq("c")}@example.ru` }), await intake({ email: `${uniq("c")}@example.ru` })];
    const r = await drainTenant(T.tenantId);
    expect(r.stopped).toMatch(/INVALID_CREDENTIALS/);
    const [conn] = await withTenant(T.tenantId, (tx) => tx.select().from(bitrix24Connections));
    expect(conn!.brokenReason).toMatch(/401 INVALID_CREDENTIALS: Invalid request credentials/);
    // Nothing is sent while broken, nothing is dropped.
    expect((await drainTenant(T.tenantId)).sent).toBe(0);
    portal.setRevoked(false);
    await withTenant(T.tenantId, (tx) => retryNow(tx, T.tenantId));
    await drainAll();
    for (const id of ids) expect(byOrigin(id)).toHaveLength(1);
  });

  it("reconnected after a disconnect: to the same portal the links stay; to another one they start afresh", async () => {
    const id = await intake({ email: `${uniq("rc")}@example.ru` });
    await drainAll();
    const first = byOrigin(id)[0]!.ID;
    await withTenant(T.tenantId, (tx) => disconnectBitrix24(tx, T.tenantId, T.ownerUserId));
    await connectBitrix24(T.tenantId, T.ownerUserId, { webhookUrl: portal.webhookUrl, applicationToken: TOKEN });
    expect((await leadRow(id)).bitrixId).toBe(String(first));
    // Another portal numbers its leads from the same start: no clash with the old ids.
    const other = await startPortal();
    try {
      await withTenant(T.tenantId, (tx) => disconnectBitrix24(tx, T.tenantId, T.ownerUserId));
      await connectBitrix24(T.tenantId, T.ownerUserId, { webhookUrl: other.webhookUrl, applicationToken: TOKEN });
      expect((await leadRow(id)).bitrixId).toBeNull();
      const next = await intake({ email: `${uniq("rc2")}@example.ru` });
      await drainAll();
      expect([...other.leads.values()].map((l) => l.ORIGIN_ID)).toEqual([next]);
      expect((await leadRow(next)).bitrixId).toBe(String(first)); // the same number, in the other portal
    } finally {
      await withTenant(T.tenantId, (tx) => disconnectBitrix24(tx, T.tenantId, T.ownerUserId));
      await other.close();
      await connectBitrix24(T.tenantId, T.ownerUserId, { webhookUrl: portal.webhookUrl, applicationToken: TOKEN });
    }
  });

  it("the next due time is the first op of each lead: a status change behind a waiting add does not make the drain spin", async () => {
    portal.fault("*", "internal_error", 1);
    const id = await intake({ email: `${uniq("due")}@example.ru` });
    await withTenant(T.tenantId, (tx) => changeLead(tx, API_VIEWER, id, { status: "qualified" }, null));
    await drainTenant(T.tenantId, { budgetMs: 1000 });
    // The add may have reached the portal: it waits out the portal's 60 s before its lookup.
    const due = await withTenant(T.tenantId, (tx) => nextDue(tx, T.tenantId));
    expect(due!.getTime()).toBeGreaterThan(Date.now() + 30_000);
  });

  it("keeps a lead's order: a status change queued behind its add is sent after it", async () => {
    portal.fault("*", "internal_error", 1);
    const id = await intake({ email: `${uniq("o")}@example.ru` });
    await withTenant(T.tenantId, (tx) => changeLead(tx, API_VIEWER, id, { status: "qualified" }, null));
    await drainAll();
    expect(byOrigin(id)).toHaveLength(1);
    expect(byOrigin(id)[0]!.STATUS_ID).toBe("PROCESSED");
  });
});

describe("status both ways", () => {
  async function eventFor(bitrixId: number, over: { token?: string; domain?: string; member?: string } = {}) {
    return acceptEvent(T.tenantId, {
      event: "ONCRMLEADUPDATE",
      data: { FIELDS: { ID: String(bitrixId) } },
      ts: String(Math.floor(Date.now() / 1000)),
      auth: { domain: over.domain ?? portal.domain, member_id: over.member ?? portal.memberId, application_token: over.token ?? TOKEN },
    });
  }

  it("LeadFlow → Bitrix24, and the echo of our own update changes nothing", async () => {
    const id = await intake({ email: `${uniq("st")}@example.ru` });
    await drainAll();
    const bid = Number(byOrigin(id)[0]!.ID);
    await withTenant(T.tenantId, (tx) => changeLead(tx, API_VIEWER, id, { status: "lost", reason: "дорого" }, null));
    await drainAll();
    expect(portal.leads.get(bid)!.STATUS_ID).toBe("JUNK");
    // The portal fires ONCRMLEADUPDATE for our own update; re-read, it is recognised (JUNK is what `lost` maps to).
    await eventFor(bid);
    expect(await pullLead(T.tenantId, bid)).toBe("unchanged");
    expect((await leadRow(id)).status).toBe("lost");
  });

  it("Bitrix24 → LeadFlow: a stage moved in the portal applies here, marked as from Bitrix24, and is not pushed back", async () => {
    const id = await intake({ email: `${uniq("in")}@example.ru` });
    await drainAll();
    const bid = Number(byOrigin(id)[0]!.ID);
    const before = portal.requests.length;
    portal.uiUpdate(bid, { STATUS_ID: "UC_NEGOTIATION" });
    await eventFor(bid);
    expect(await pullLead(T.tenantId, bid)).toBe("changed");
    expect((await leadRow(id)).status).toBe("in_progress");
    portal.uiUpdate(bid, { STATUS_ID: "CONVERTED" });
    expect(await pullLead(T.tenantId, bid)).toBe("changed");
    expect((await leadRow(id)).status).toBe("won");
    const events = await withTenant(T.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.filter((e) => e.type === "status_changed").map((e) => e.payload)).toEqual([
      expect.objectContaining({ to: "in_progress", via: "bitrix24" }),
      expect.objectContaining({ to: "won", via: "bitrix24" }),
    ]);
    // Nothing queued back to the portal: only the two re-reads went there.
    await drainAll();
    expect(portal.requests.slice(before).map((r) => r.method)).toEqual(["crm.lead.get", "crm.lead.get"]);
    // A custom failure stage maps to lost.
    portal.uiUpdate(bid, { STATUS_ID: "UC_LOSTPRICE" });
    expect(await pullLead(T.tenantId, bid)).toBe("changed");
    expect((await leadRow(id)).status).toBe("lost");
  });

  it("forged events are refused and change nothing", async () => {
    const id = await intake({ email: `${uniq("fg")}@example.ru` });
    await drainAll();
    const bid = Number(byOrigin(id)[0]!.ID);
    await expect(eventFor(bid, { token: "wrong-token-1234567890" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(eventFor(bid, { domain: "evil.bitrix24.ru" })).rejects.toMatchObject({ code: "forbidden" });
    // The member id is learnt from the first genuine event, then required.
    await eventFor(bid);
    await expect(eventFor(bid, { member: "0".repeat(32) })).rejects.toMatchObject({ code: "forbidden" });
    const [q] = (await getDb().execute(sql`select
      (select count(*)::int from leadflow_queue.outbox where task = 'bitrix24:pull' and payload->>'tenantId' = ${T.tenantId}) +
      (select count(*)::int from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id where k.identifier = 'bitrix24:pull' and j.payload->>'tenantId' = ${T.tenantId}) as n`)) as unknown as { n: number }[];
    expect(q!.n).toBe(1);
  });

  it("a missed event is caught by the reconcile", async () => {
    const id = await intake({ email: `${uniq("rc")}@example.ru` });
    await drainAll();
    const bid = Number(byOrigin(id)[0]!.ID);
    portal.uiUpdate(bid, { STATUS_ID: "PROCESSED" });
    expect(await reconcileTenant(T.tenantId)).toBe(1);
    expect((await leadRow(id)).status).toBe("qualified");
    expect(await reconcileTenant(T.tenantId)).toBe(0);
  });

  it("a lead deleted in Bitrix24 is unlinked, not retried", async () => {
    const id = await intake({ email: `${uniq("del")}@example.ru` });
    await drainAll();
    const bid = Number(byOrigin(id)[0]!.ID);
    portal.leads.delete(bid);
    expect(await pullLead(T.tenantId, bid)).toBe("unlinked");
    expect((await leadRow(id)).bitrixId).toBeNull();
  });
});

describe("backfill", () => {
  it("sends a period's existing leads with batches, looks each up first, and a re-run creates nothing twice", async () => {
    await withTenant(T.tenantId, (tx) => tx.update(bitrix24Connections).set({ syncLeads: false }).where(eq(bitrix24Connections.tenantId, T.tenantId)));
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push(await intake({ email: `${uniq("bf")}@example.ru` }));
    await withTenant(T.tenantId, (tx) => tx.update(bitrix24Connections).set({ syncLeads: true }).where(eq(bitrix24Connections.tenantId, T.tenantId)));
    // An earlier run got two of them into the portal before it died.
    for (const id of ids.slice(0, 2)) {
      await fetch(`${portal.webhookUrl}crm.lead.add.json`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fields: { TITLE: "earlier", ORIGINATOR_ID: "leadflow", ORIGIN_ID: id } }) });
    }
    const today = todayIn("Europe/Moscow"); // the tenant's calendar
    const before = portal.requests.length;
    const b = await withTenant(T.tenantId, (tx) => startBackfill(tx, T.tenantId, T.ownerUserId, { from: today, to: today }));
    expect(b.total).toBe(60);
    while (await withTenant(T.tenantId, (tx) => queueBackfillPage(tx, T.tenantId, b.id)));
    await drainAll();
    expect(portalLeads()).toHaveLength(60);
    for (const id of ids) expect(byOrigin(id)).toHaveLength(1);
    // 60 leads, in requests of ≤ 50: a lookup by ORIGIN_ID and a batch of adds, twice.
    expect(portal.requests.slice(before).map((r) => r.method)).toEqual(["crm.lead.list", "batch", "crm.lead.list", "batch"]);
    const [view] = await withTenant(T.tenantId, (tx) => listBackfills(tx));
    expect(view).toMatchObject({ state: "done", total: 60, done: 60 });
    // Again: nothing new.
    const again = await withTenant(T.tenantId, (tx) => startBackfill(tx, T.tenantId, T.ownerUserId, { from: today, to: today }));
    while (await withTenant(T.tenantId, (tx) => queueBackfillPage(tx, T.tenantId, again.id)));
    await drainAll();
    expect(portalLeads()).toHaveLength(60);
  });
});

describe("secrets at rest", () => {
  it("the database holds neither the webhook URL nor its code", async () => {
    const id = await intake({ email: `${uniq("sec")}@example.ru` });
    portal.fault("*", "internal_error", 1);
    await drainAll();
    expect(byOrigin(id)).toHaveLength(1);
    const code = new URL(portal.webhookUrl).pathname.split("/")[3]!;
    expect(code.length).toBeGreaterThan(8);
    const tables = (await getDb().execute(sql`select table_name from information_schema.columns where table_schema = 'public' and column_name = 'tenant_id'`)) as unknown as { table_name: string }[];
    for (const { table_name } of tables) {
      const [hit] = (await withTenant(T.tenantId, (tx) => tx.execute(sql`select count(*)::int as n from ${sql.identifier(table_name)} t where t::text like ${"%" + code + "%"}`))) as unknown as { n: number }[];
      expect(hit!.n, table_name).toBe(0);
    }
    const [queue] = (await getDb().execute(sql`select
      (select count(*)::int from leadflow_queue.outbox o where o::text like ${"%" + code + "%"}) +
      (select count(*)::int from graphile_worker._private_jobs j where j::text like ${"%" + code + "%"}) as n`)) as unknown as { n: number }[];
    expect(queue!.n).toBe(0);
    const [conn] = await withTenant(T.tenantId, (tx) => tx.select({ enc: bitrix24Connections.webhookEnc }).from(bitrix24Connections));
    expect(conn!.enc).toMatch(/^v1\./);
    // Sealed for this tenant: copied to another tenant's row, it does not open.
    const { unseal } = await import("@/lib/secrets");
    expect(() => unseal(conn!.enc, crypto.randomUUID())).toThrow();
    expect(unseal(conn!.enc, T.tenantId)).toBe(portal.webhookUrl);
    const links = await withTenant(T.tenantId, (tx) => tx.select().from(bitrix24Links));
    expect(links).toHaveLength(1);
  });
});
