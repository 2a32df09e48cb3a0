// `npm run bench:bitrix24`: 300 fresh leads pushed into the stand-in portal at its real limit
// (2 requests/s, burst 50), by two workers in separate processes.
//   measured:  from the first intake to the last lead holding its Bitrix24 id
//   baseline:  the least time the bucket allows when each lead takes one request: (300 − 50) / 2 = 125 s
// Prints the ratio baseline / measured (above 1.0 only by batching adds), duplicates in the portal
// (must be 0) and the p95 delay from intake to the Bitrix24 id.
// Env: BENCH_LEADS (default 300), DATABASE_URL (else a throw-away embedded Postgres).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { freePort } from "../../db/embedded";
import { resolveDatabase, ROOT } from "../_db";
import { percentile } from "./_stats";

const LEADS = Number(process.env.BENCH_LEADS || 300);
const RATE = 2;
const BURST = 50;

async function main() {
  process.env.APP_ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
  process.env.AUTH_SECRET ||= randomBytes(32).toString("base64url");
  process.env.BITRIX24_RATE_PER_SEC = String(RATE);
  process.env.BITRIX24_BURST = String(BURST);
  const db = await resolveDatabase({ migrate: true, throwaway: { database: "leadflow_bench" }, localOnly: true });
  const { startPortal } = await import("../../test/bitrix24-portal");
  const { withTenant } = await import("../../db/tenant");
  const { closeDb } = await import("../../db/index");
  const { createTenant } = await import("../../lib/services/tenants");
  const { createSite } = await import("../../lib/services/sites");
  const { connectBitrix24 } = await import("../../lib/integrations/bitrix24/connection");
  const { recordIntake } = await import("../../lib/services/intake/write");
  const { splitFields, ZIntakeSchema } = await import("../../lib/validators/intake");
  const { sql } = await import("drizzle-orm");

  const portal = await startPortal({ ratePerSec: RATE, burst: BURST });
  const run = randomBytes(4).toString("hex");
  const t = await createTenant({ name: `Bench ${run}`, slug: `bench-b24-${run}`, ownerEmail: `bench-${run}@test.local`, ownerPassword: "bench-password-1", locale: "ru" });
  const site = await createSite(t.tenantId, { name: "bench.example.ru", origins: ["https://bench.example.ru"], thankYouUrl: null });
  await connectBitrix24(t.tenantId, t.ownerUserId, { webhookUrl: portal.webhookUrl, applicationToken: "benchtoken123456" });

  const workers: ChildProcess[] = [];
  for (let i = 0; i < 2; i++) {
    const health = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/worker.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, LEADFLOW_WORKER_TASKS: "bitrix24:,queue:relay", WORKER_HEALTH_PORT: String(health), NODE_ENV: "production" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    workers.push(child);
    for (;;) {
      if (child.exitCode !== null) throw new Error("a worker process exited before it was ready");
      if (await fetch(`http://127.0.0.1:${health}/health`).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  console.log(`portal ${portal.domain} (${RATE} req/s, burst ${BURST}); 2 worker processes; ${LEADS} leads`);

  const started = Date.now();
  for (let i = 0; i < LEADS; i++) {
    const input = ZIntakeSchema.parse(splitFields({ name: `Клиент ${i}`, email: `b24-${run}-${i}@example.ru`, phone: `+7999${String(1_000_000 + i)}`, message: "Нужен сайт", utm_source: "yandex" }));
    await recordIntake({ tenantId: t.tenantId, siteId: site.siteId, channel: "web", dedupeWindowDays: 30 }, input, { answer: { created: 201, joined: 200 } });
  }
  const intakeDone = Date.now();
  const count = async () =>
    withTenant(t.tenantId, async (tx) => ((await tx.execute(sql`select count(*)::int as n from leads where bitrix_id is not null`)) as unknown as { n: number }[])[0]!.n);
  let n = 0;
  const deadline = started + 30 * 60_000;
  while ((n = await count()) < LEADS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const measured = (Date.now() - started) / 1000;

  const delays = (await withTenant(t.tenantId, (tx) =>
    tx.execute(sql`select extract(epoch from bitrix_synced_at - created_at)::float8 as d from leads where bitrix_id is not null`),
  )) as unknown as { d: number }[];
  const origins = [...portal.leads.values()].map((l) => String(l.ORIGIN_ID));
  const duplicates = origins.length - new Set(origins).size;
  const requests = portal.requests.length;
  const baseline = (LEADS - BURST) / RATE;
  const ratio = baseline / measured;
  const p95 = percentile(delays.map((r) => r.d).sort((a, b) => a - b), 95);

  console.log(`intake of ${LEADS} leads: ${((intakeDone - started) / 1000).toFixed(2)} s`);
  console.log(`last Bitrix24 id after ${measured.toFixed(2)} s (${n}/${LEADS} pushed); baseline ${baseline.toFixed(0)} s (one request per lead at the limit)`);
  console.log(`portal: ${portal.leads.size} leads, ${requests} requests, ${portal.stats.refused} refused (QUERY_LIMIT_EXCEEDED), highest bucket level ${portal.stats.maxLevel.toFixed(1)}`);
  console.log(`bitrix24: ${ratio.toFixed(2)} of the rate limit, duplicates ${duplicates}, p95 delay ${p95.toFixed(1)} s`);

  for (const w of workers) w.kill("SIGTERM");
  await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once("exit", r)))));
  await portal.close();
  await closeDb();
  await db.stop();
  if (n < LEADS) process.exitCode = 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
