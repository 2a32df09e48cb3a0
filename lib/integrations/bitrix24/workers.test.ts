import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { freePort } from "@/db/embedded";
import { bitrix24Connections, leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { relayOutbox } from "@/lib/jobs/relay";
import { recordIntake } from "@/lib/services/intake/write";
import { splitFields, ZIntakeSchema } from "@/lib/validators/intake";
import { todayIn } from "@/lib/working-hours";
import { makeSite, makeTenant, uniq } from "@/test/factories";
import { startPortal, type Portal } from "@/test/bitrix24-portal";
import { connectBitrix24, disconnectBitrix24 } from "./connection";
import { acceptEvent } from "./inbound";
import { startBackfill } from "./backfill";
import { kickSync } from "@/lib/services/bitrix24-queue";

// Bitrix24 work in real worker processes (scripts/worker.ts, only the Bitrix24 tasks and the
// relay, so the other test files' jobs are left alone): the shared bucket holds across processes,
// and a worker killed mid-request loses nothing and duplicates nothing.

const ROOT = path.resolve(__dirname, "../../..");
const workers: ChildProcess[] = [];
let portal: Portal | null = null;
let tenant: { tenantId: string; ownerUserId: string } | null = null;

afterEach(async () => {
  for (const w of workers.splice(0)) if (w.exitCode === null) w.kill("SIGKILL");
  if (tenant) await withTenant(tenant.tenantId, (tx) => disconnectBitrix24(tx, tenant!.tenantId, tenant!.ownerUserId));
  await portal?.close();
  portal = null;
});
afterAll(() => closeDb());

async function startWorkerProcess(env: Record<string, string> = {}): Promise<ChildProcess> {
  const health = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
    cwd: ROOT,
    env: { ...process.env, LEADFLOW_WORKER_TASKS: "bitrix24:,queue:relay", WORKER_HEALTH_PORT: String(health), NODE_ENV: "production", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  workers.push(child);
  await expect.poll(() => fetch(`http://127.0.0.1:${health}/health`).then((r) => r.ok, () => false), { timeout: 60_000, interval: 250 }).toBe(true);
  return child;
}

async function setup(portalOpts: Parameters<typeof startPortal>[0]) {
  portal = await startPortal(portalOpts);
  const t = await makeTenant("b24w");
  tenant = t;
  const site = await makeSite(t.tenantId);
  await connectBitrix24(t.tenantId, t.ownerUserId, { webhookUrl: portal.webhookUrl, applicationToken: "apptoken1234567890" });
  const intake = async (email: string) => {
    const r = await recordIntake({ tenantId: t.tenantId, siteId: site.siteId, channel: "web", dedupeWindowDays: 30 }, ZIntakeSchema.parse(splitFields({ email })), { answer: { created: 201, joined: 200 } });
    if (r.kind !== "recorded") throw new Error("not recorded");
    return r.outcome.id;
  };
  return { t, intake };
}

const linkedCount = (tenantId: string) =>
  withTenant(tenantId, async (tx) => ((await tx.execute(sql`select count(*)::int as n from leads where bitrix_id is not null`)) as unknown as { n: number }[])[0]!.n);

describe("Bitrix24 in worker processes", () => {
  it("two workers share the portal's request bucket: no QUERY_LIMIT_EXCEEDED", async () => {
    const limits = { BITRIX24_RATE_PER_SEC: "8", BITRIX24_BURST: "5" };
    const { t, intake } = await setup({ ratePerSec: 8, burst: 5 });
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await intake(`${uniq("rw")}@example.ru`));
    await Promise.all([startWorkerProcess(limits), startWorkerProcess(limits)]);
    await expect.poll(() => linkedCount(t.tenantId), { timeout: 60_000, interval: 300 }).toBe(30);
    // Thirty moves in the portal → thirty events → thirty re-reads (one request each), split over both workers.
    const rows = await withTenant(t.tenantId, (tx) => tx.select({ id: leads.id, bitrixId: leads.bitrixId }).from(leads));
    for (const r of rows) portal!.uiUpdate(Number(r.bitrixId), { STATUS_ID: "PROCESSED" });
    for (const r of rows) {
      await acceptEvent(t.tenantId, { event: "ONCRMLEADUPDATE", data: { FIELDS: { ID: r.bitrixId! } }, auth: { domain: portal!.domain, member_id: portal!.memberId, application_token: "apptoken1234567890" } });
    }
    await relayOutbox();
    await expect
      .poll(async () => (await withTenant(t.tenantId, (tx) => tx.select({ s: leads.status }).from(leads))).filter((r) => r.s === "qualified").length, { timeout: 60_000, interval: 300 })
      .toBe(30);
    expect(portal!.stats.refused).toBe(0);
    expect(portal!.stats.maxLevel).toBeLessThanOrEqual(5);
    expect(portal!.requests.filter((r) => r.method === "crm.lead.get").length).toBe(30);
  }, 120_000);

  it("a backfill survives a worker killed mid-request: the next worker finishes it, nothing twice", async () => {
    const { t, intake } = await setup({});
    await withTenant(t.tenantId, (tx) => tx.update(bitrix24Connections).set({ syncLeads: false }).where(eq(bitrix24Connections.tenantId, t.tenantId)));
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) ids.push(await intake(`${uniq("kill")}@example.ru`));
    await withTenant(t.tenantId, (tx) => tx.update(bitrix24Connections).set({ syncLeads: true }).where(eq(bitrix24Connections.tenantId, t.tenantId)));
    // The portal will create the first batch of leads and then never answer; the worker waits (a long timeout) and is killed.
    portal!.fault("crm.lead.add", "timeout_after_create", 1);
    const a = await startWorkerProcess({ BITRIX24_TIMEOUT_MS: "60000" });
    const today = todayIn("Europe/Moscow");
    await withTenant(t.tenantId, (tx) => startBackfill(tx, t.tenantId, t.ownerUserId, { from: today, to: today }));
    await relayOutbox();
    await expect.poll(() => portal!.leads.size, { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
    a.kill("SIGKILL");
    await new Promise((r) => a.once("exit", r));
    const created = portal!.leads.size;
    expect(await linkedCount(t.tenantId)).toBe(0); // the dead worker never learnt the ids
    // The dead worker's leases run out (2 minutes; moved up here), and the minute tick queues the drain.
    await withTenant(t.tenantId, async (tx) => {
      await tx.execute(sql`update bitrix24_ops set lease_until = now() - interval '1 second' where lease_until is not null`);
      await kickSync(tx, t.tenantId);
    });
    portal!.clearFaults();
    await startWorkerProcess();
    await relayOutbox();
    await expect.poll(() => linkedCount(t.tenantId), { timeout: 60_000, interval: 300 }).toBe(120);
    const origins = [...portal!.leads.values()].map((l) => l.ORIGIN_ID);
    expect(origins).toHaveLength(120);
    expect(new Set(origins).size).toBe(120);
    expect(created).toBeGreaterThan(0);
    const [log] = (await withTenant(t.tenantId, (tx) => tx.execute(sql`select count(*)::int as n from bitrix24_attempts where outcome = 'adopted'`))) as unknown as { n: number }[];
    expect(log!.n).toBe(created);
  }, 180_000);
});
