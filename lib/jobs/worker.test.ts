import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db";
import { intakeRequests, leadEvents } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { recordIntake } from "@/lib/services/intake/write";
import { splitFields, ZIntakeSchema } from "@/lib/validators/intake";
import { makeSite, makeTenant, uniq } from "@/test/factories";
import { enqueue } from "./enqueue";
import { leadReceived } from "./lead-received";
import { aiTrain } from "./ai-train";
import { startWorker } from "./worker";
import { relayOutbox } from "./relay";

afterAll(() => closeDb());

describe("job queue", () => {
  it("a lead's follow-up job, enqueued in its transaction, runs once and adds nothing to the timeline", async () => {
    const t = await makeTenant("jobs");
    const s = await makeSite(t.tenantId);
    const input = ZIntakeSchema.parse(splitFields({ email: `${uniq("job")}@example.ru` }));
    const result = await recordIntake({ tenantId: t.tenantId, siteId: s.siteId, channel: "api", dedupeWindowDays: 30 }, input, { answer: { created: 201, joined: 200 } });
    if (result.kind !== "recorded") throw new Error("expected a new lead");
    const leadId = result.outcome.id;
    const pending = async () => {
      const [r] = (await getDb().execute(sql`select
        (select count(*)::int from leadflow_queue.outbox where task = 'lead:received' and payload->>'leadId' = ${leadId}) as outbox,
        (select count(*)::int from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
          where k.identifier = 'lead:received' and j.payload->>'leadId' = ${leadId}) as queued`)) as unknown as { outbox: number; queued: number }[];
      return r!;
    };
    // Enqueued exactly once (in the outbox or already relayed into the queue)…
    expect(Object.values(await pending()).reduce((a, b) => a + b, 0)).toBe(1);
    const runner = await startWorker({ concurrency: 4 });
    try {
      // …then run to completion (graphile-worker deletes a job that succeeded).
      await expect.poll(pending, { timeout: 30_000, interval: 200 }).toEqual({ outbox: 0, queued: 0 });
    } finally {
      await runner.stop();
    }
    const events = await withTenant(t.tenantId, (tx) => tx.select({ type: leadEvents.type }).from(leadEvents).where(eq(leadEvents.leadId, leadId)));
    // No plumbing event ("received"); the AI's own job, queued by this one, may have written its "ai" event.
    expect(events.map((e) => e.type).filter((t) => t !== "ai")).toEqual(["created"]);
  });

  it("a rolled-back transaction leaves no job behind", async () => {
    const t = await makeTenant("jobs-rb");
    const leadId = crypto.randomUUID();
    await expect(
      withTenant(t.tenantId, async (tx) => {
        await enqueue(tx, leadReceived, { tenantId: t.tenantId, leadId });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const [jobs] = (await getDb().execute(sql`select
      (select count(*)::int from leadflow_queue.outbox where payload->>'leadId' = ${leadId})
      + (select count(*)::int from graphile_worker._private_jobs where payload->>'leadId' = ${leadId}) as n`)) as unknown as { n: number }[];
    expect(jobs!.n).toBe(0);
  });

  it("the relay moves every outbox row into the queue exactly once, also when runs overlap", async () => {
    const t = await makeTenant("relay");
    const ids = Array.from({ length: 1200 }, () => crypto.randomUUID());
    await withTenant(t.tenantId, async (tx) => {
      for (const leadId of ids) await enqueue(tx, leadReceived, { tenantId: t.tenantId, leadId });
    });
    const moved = await Promise.all([relayOutbox(300), relayOutbox(300), relayOutbox(300)]);
    expect(moved.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1200);
    const [r] = (await getDb().execute(sql`select
      (select count(*)::int from leadflow_queue.outbox where tenant_id = ${t.tenantId}) as outbox,
      (select count(*)::int from graphile_worker._private_jobs where payload->>'tenantId' = ${t.tenantId}) as queued,
      (select count(distinct payload->>'leadId')::int from graphile_worker._private_jobs where payload->>'tenantId' = ${t.tenantId}) as distinct_leads`)) as unknown as { outbox: number; queued: number; distinct_leads: number }[];
    expect(r).toEqual({ outbox: 0, queued: 1200, distinct_leads: 1200 });
    // Tidy up so other tests' workers do not chew through these.
    await getDb().execute(sql`delete from graphile_worker._private_jobs where payload->>'tenantId' = ${t.tenantId}`);
  });

  it("two jobs with one job key in the same relay batch become one queued job (no double update)", async () => {
    const t = await makeTenant("jobs-key");
    await withTenant(t.tenantId, async (tx) => {
      await enqueue(tx, aiTrain, { tenantId: t.tenantId }, { jobKey: `ai-train:${t.tenantId}` });
      await enqueue(tx, aiTrain, { tenantId: t.tenantId }, { jobKey: `ai-train:${t.tenantId}` });
    });
    await relayOutbox();
    const [r] = (await getDb().execute(sql`select count(*)::int as n from graphile_worker._private_jobs where key = ${`ai-train:${t.tenantId}`}`)) as unknown as { n: number }[];
    expect(r!.n).toBe(1);
  });

  it("the hourly cleanup removes idempotency keys past their window and keeps the rest", async () => {
    const { taskList } = await import("./index");
    const t = await makeTenant("cleanup");
    const s = await makeSite(t.tenantId);
    await withTenant(t.tenantId, (tx) =>
      tx.insert(intakeRequests).values([
        { tenantId: t.tenantId, siteId: s.siteId, key: "old", createdAt: new Date(Date.now() - 26 * 3600_000) },
        { tenantId: t.tenantId, siteId: s.siteId, key: "new" },
      ]),
    );
    await taskList()["intake:cleanup"]!({}, { logger: console, job: { id: "1" } } as never);
    const keys = await withTenant(t.tenantId, (tx) => tx.select({ key: intakeRequests.key }).from(intakeRequests).where(eq(intakeRequests.siteId, s.siteId)));
    expect(keys.map((k) => k.key)).toEqual(["new"]);
  });

  it("refuses to enqueue a job for another tenant", async () => {
    const a = await makeTenant("jobs-a");
    const b = await makeTenant("jobs-b");
    const e = await withTenant(a.tenantId, (tx) => enqueue(tx, leadReceived, { tenantId: b.tenantId, leadId: crypto.randomUUID() })).then(
      () => null,
      (err: unknown) => err as { cause?: { code?: string } },
    );
    expect(e?.cause?.code).toBe("42501");
  });
});
