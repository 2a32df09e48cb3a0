// `npm run bench:intake`: POST /api/intake against its ceilings, under the same load.
//   (a) POST /api/intake, unique valid leads, secret key
//   (b) GET /api/health on the same server: a route handler + one DB round trip (the framework's ceiling)
//   (c) a bare node:http server doing one INSERT of the same payload through postgres.js
//   (d) for reference: POST /api/intake with an invalid e-mail — the same route up to validation,
//       no database write: what a POST with a body costs in this framework before any of our storage
// Prints requests/s, p50, p99 for each and the ratios a/b and a/c, and checks stored rows = 2xx.
// Env: BENCH_DURATION (s, default 20), BENCH_CONNECTIONS (default 50), DATABASE_URL (else embedded).
import { fork, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import postgres from "postgres";
import { freePort } from "../../db/embedded";
import { resolveDatabase, ROOT } from "../_db";
import { exited, next, startBuiltServer } from "../_next";

const DURATION = Number(process.env.BENCH_DURATION || 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);

type Row = { name: string; rps: number; p50: number; p99: number; ok: number; errors: number; non2xx: number };

function payload(i: number, run: string) {
  return JSON.stringify({
    name: "Иван Петров",
    email: `bench-${run}-${i}@example.ru`,
    phone: `+79${String(i % 1_000_000_000).padStart(9, "0")}`,
    company: "ООО «Ромашка»",
    message: "Нужен интернет-магазин на 500 товаров с интеграцией 1С",
    form: "contact",
    pageUrl: "https://example.ru/uslugi",
    utm_source: "yandex",
    utm_medium: "cpc",
    utm_campaign: "bench",
    consent: true,
  });
}

async function load(
  name: string,
  url: string,
  opts: { method?: "GET" | "POST"; headers?: Record<string, string>; body?: (i: number) => string; acked?: string[] },
  seconds: number,
): Promise<Row> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    method: opts.method ?? "GET",
    headers: opts.headers,
    requests: [
      {
        setupRequest: (req) => (opts.body ? { ...req, body: opts.body(i++) } : req),
        // Every lead the server acknowledged, to check each one was really stored.
        onResponse: (status, body) => {
          if (opts.acked && status >= 200 && status < 300) opts.acked.push(JSON.parse(body).id);
        },
      },
    ],
  });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result["2xx"],
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

async function main() {
  const db = await resolveDatabase({ migrate: true, throwaway: { database: "leadflow_bench" } });
  const url = db.url;
  const children: ChildProcess[] = [];
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin`create table if not exists bench_bare_leads (id uuid primary key default gen_random_uuid(), payload jsonb not null, created_at timestamptz not null default now())`;
    const { createTenant } = await import("../../lib/services/tenants");
    const { createSite } = await import("../../lib/services/sites");
    const { closeDb } = await import("../../db/index");
    const run = randomUUID().slice(0, 8);
    const tenant = await createTenant({ name: `Bench ${run}`, slug: `bench-${run}`, ownerEmail: `bench-${run}@example.ru`, ownerPassword: "bench-password-1", locale: "ru" });
    const site = await createSite(tenant.tenantId, { name: "bench", origins: [], thankYouUrl: null });
    await closeDb();

    if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
      console.log("Building …");
      if ((await exited(next(["build"], process.env))) !== 0) throw new Error("build failed");
    }
    const app = await startBuiltServer(await freePort(), { ...process.env, AUTH_SECRET: "bench-secret-bench-secret-bench" });
    children.push(app.child);
    const barePort = await freePort();
    const bare = fork(path.join(ROOT, "scripts/bench/bare-server.ts"), [String(barePort)], { execArgv: ["--import", "tsx"], env: { ...process.env }, stdio: "inherit" });
    children.push(bare);
    const base = app.url;
    await new Promise<void>((r) => bare.once("message", () => r()));

    const acked: string[] = [];
    const intakeOpts = { acked, method: "POST" as const, headers: { "content-type": "application/json", authorization: `Bearer ${site.secretKey}` }, body: (i: number) => payload(i, run) };
    const bareOpts = { method: "POST" as const, headers: { "content-type": "application/json" }, body: (i: number) => payload(i, `bare-${run}`) };
    console.log(`Load: ${CONNECTIONS} connections, ${DURATION} s per target (after a 3 s warm-up each), ${os.cpus().length} cores.`);
    // Warm-ups (JIT, pools, caches); the leads they get acknowledged are checked too.
    await load("warm-health", `${base}/api/health`, {}, 3);
    await load("warm-intake", `${base}/api/intake`, { ...intakeOpts, body: (i) => payload(i + 10_000_000, run) }, 3);
    await load("warm-bare", `http://127.0.0.1:${barePort}/`, bareOpts, 3);
    const b = await load("(b) GET /api/health", `${base}/api/health`, {}, DURATION);
    const a = await load("(a) POST /api/intake", `${base}/api/intake`, intakeOpts, DURATION);
    const d = await load("(d) POST /api/intake → 400", `${base}/api/intake`, { ...intakeOpts, acked: undefined, body: () => JSON.stringify({ name: "x", email: "not-an-email" }) }, Math.min(DURATION, 10));
    const c = await load("(c) bare node:http + INSERT", `http://127.0.0.1:${barePort}/`, { ...bareOpts, body: (i) => payload(i + 20_000_000, `bare-${run}`) }, DURATION);

    // Every acknowledged lead must be in the database. Requests still in flight when the load
    // stopped may be stored without an answer the client saw: counted, not an error.
    const ackedIds = [...new Set(acked)];
    const [stored] = await admin`select count(*)::int as n from leads where id = any(${ackedIds}::uuid[])`;
    const [all] = await admin`select count(*)::int as n from leads where tenant_id = ${tenant.tenantId}`;
    const fmt = (r: Row) => `${r.name.padEnd(30)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   2xx ${r.ok}   errors ${r.errors}   non-2xx ${r.non2xx}`;
    console.log("\n" + [a, b, c, d].map(fmt).join("\n"));
    console.log(`\nintake / health   = ${((a.rps / b.rps) * 100).toFixed(1)} %   (target ≥ 60 %)`);
    console.log(`intake / bare     = ${((a.rps / c.rps) * 100).toFixed(1)} %`);
    console.log(`(d) / health      = ${((d.rps / b.rps) * 100).toFixed(1)} %   (the route without storage: the ceiling for (a)/(b))`);
    console.log(`intake p99        = ${a.p99} ms   (target < 150 ms)`);
    console.log(`acknowledged leads stored: ${stored!.n} of ${ackedIds.length} ${stored!.n === ackedIds.length ? "✓" : "✗ LOST LEADS"}` + `   (in flight at cut-off, stored unanswered: ${all!.n - ackedIds.length})`);
    const failed = stored!.n !== ackedIds.length || a.errors > 0 || a.non2xx > 0;
    process.exitCode = failed ? 1 : 0;
  } finally {
    for (const c of children) c.kill("SIGTERM");
    // The bench's follow-up jobs are not real work: drop them rather than leave a backlog.
    await admin`delete from leadflow_queue.outbox where payload->>'tenantId' in (select id::text from tenants where slug like 'bench-%')`.catch(() => {});
    await admin`delete from graphile_worker._private_jobs where payload->>'tenantId' in (select id::text from tenants where slug like 'bench-%')`.catch(() => {});
    await admin`drop table if exists bench_bare_leads`.catch(() => {});
    await admin.end();
    await new Promise((r) => setTimeout(r, 500));
    await db.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
