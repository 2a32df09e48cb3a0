import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "@/db/embedded";

// `npm start`'s boot path on an empty embedded database: migrate + seed + health, then a restart.
describe("boot on an empty embedded Postgres", () => {
  let dir = "";
  let stop: (() => Promise<void>) | undefined;

  afterAll(async () => {
    const { closeDb } = await import("@/db");
    await closeDb();
    await stop?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("migrates, seeds the demo once, and answers health", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "leadflow-boot-"));
    await chmod(dir, 0o755); // the server runs as the OS user `postgres` when we are root
    delete process.env.DATABASE_URL;
    process.env.LEADFLOW_DATA_DIR = dir;
    process.env.LEADFLOW_PG_PORT = String(await freePort());
    const logs: string[] = [];
    const { boot } = await import("./boot");

    const first = await boot({ log: (l) => logs.push(l) });
    stop = first.embedded?.stop;
    expect(first.embedded?.owned).toBe(true);
    expect(first.url).toContain(`127.0.0.1:${process.env.LEADFLOW_PG_PORT}`);
    expect(first.seeded).toBe(true);
    expect(first.demoKeys?.secretKey).toMatch(/^sk_/);
    expect(first.secrets.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(logs.join("\n")).toMatch(/Creating the embedded Postgres/);

    const { GET } = await import("@/app/api/health/route");
    const res = await GET(new Request("http://localhost/api/health"), { params: Promise.resolve({}) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", db: "ok" });

    // The demo is real: leads over 90 days in several channels and statuses, readable through RLS.
    const { sql } = await import("drizzle-orm");
    const { withTenant } = await import("@/db/tenant");
    const { getTenantIdBySlug } = await import("@/lib/services/tenants");
    const tenantId = await getTenantIdBySlug("demo");
    const [stats] = (await withTenant(tenantId, (tx) =>
      tx.execute(sql`select count(*)::int as n, count(distinct channel)::int as channels, count(distinct status)::int as statuses,
        extract(day from now() - min(created_at))::int as span from leads`),
    )) as unknown as { n: number; channels: number; statuses: number; span: number }[];
    expect(stats!.n).toBeGreaterThan(300);
    expect(stats!.channels).toBeGreaterThanOrEqual(4);
    expect(stats!.statuses).toBe(6);
    expect(stats!.span).toBeGreaterThanOrEqual(80);

    // A second boot (a restart) joins the same data, seeds nothing and keeps the secrets.
    const { closeDb } = await import("@/db");
    await closeDb();
    await stop?.();
    delete process.env.DATABASE_URL; // as in a fresh `npm start` process
    const second = await boot({ log: (l) => logs.push(l) });
    stop = second.embedded?.stop;
    expect(second.seeded).toBe(false);
    expect(second.secrets).toEqual(first.secrets);
    expect(second.demoKeys).toEqual(first.demoKeys);
  }, 120_000);
});
