// Each figure of the summary and the dashboard on a small dataset computed by hand, the time-zone
// edge cases, the agreement with the leads list, roles — through the service, tRPC and the REST endpoint.
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leads, tenants, type Channel } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { callerFor } from "@/test/caller";
import { serverUrl } from "@/test/http";
import { makeSite, makeTenant, makeUser } from "@/test/factories";
import { ZAnalyticsSummary } from "@/lib/validators/analytics";
import { bucketList, getDashboard, refreshStats, resolvePeriod } from "./analytics";

type Row = { at: string; channel?: Channel; status?: string; stages?: string[]; spam?: boolean; source?: string | null; response?: number; assignee?: string | null; category?: string };

async function put(tenantId: string, rows: Row[]) {
  await withTenant(tenantId, (tx) =>
    tx.insert(leads).values(
      rows.map((r) => {
        const createdAt = new Date(r.at);
        return {
          id: randomUUID(),
          tenantId,
          channel: r.channel ?? "web",
          email: `${randomUUID().slice(0, 8)}@example.ru`,
          status: r.status ?? "new",
          stagesReached: r.stages ?? ["new"],
          spam: r.spam ?? false,
          utmSource: r.source ?? null,
          assigneeId: r.assignee ?? null,
          aiCategory: r.category ?? null,
          createdAt,
          updatedAt: createdAt,
          firstResponseAt: r.response === undefined ? null : new Date(createdAt.getTime() + r.response * 1000),
        };
      }),
    ),
  );
}

let T: Awaited<ReturnType<typeof makeTenant>>;
let sales: Awaited<ReturnType<typeof makeUser>>;
let site: Awaited<ReturnType<typeof makeSite>>;
const PERIOD = { from: "2026-11-01", to: "2026-11-03" };

beforeAll(async () => {
  T = await makeTenant("analytics");
  sales = await makeUser(T.slug, "sales");
  site = await makeSite(T.tenantId);
  await put(T.tenantId, [
    { at: "2026-11-01T10:00:00+03:00", status: "won", stages: ["new", "in_progress", "won"], source: "yandex", response: 300, assignee: sales.userId, category: "seo" },
    { at: "2026-11-01T23:30:00+03:00", channel: "email" }, // late evening Moscow time: still 1 November
    { at: "2026-11-02T09:00:00+03:00", status: "lost", stages: ["new", "qualified", "lost"], source: "yandex", response: 1200 },
    { at: "2026-11-02T12:00:00+03:00", channel: "telegram", status: "qualified", stages: ["new", "qualified"], source: "vk", response: 600, assignee: sales.userId },
    { at: "2026-11-02T13:00:00+03:00", status: "junk", stages: ["new", "junk"], spam: true, source: "yandex" },
    { at: "2026-11-03T23:59:59+03:00", status: "in_progress", stages: ["new", "in_progress"], source: "google", response: 60 },
    // Outside the period, by a second either side.
    { at: "2026-10-31T23:59:59+03:00" },
    { at: "2026-11-04T00:00:00+03:00" },
  ]);
});

afterAll(() => closeDb());

const expected = {
  period: { from: "2026-11-01", to: "2026-11-03", timezone: "Europe/Moscow" },
  leads: 5,
  spam: 1,
  won: 1,
  conversion: 0.2,
  byStatus: { new: 1, in_progress: 1, qualified: 1, won: 1, lost: 1, junk: 0 },
  // [60, 300, 600, 1200]: median (300 + 600) / 2; p90 at 2.7 → 600 + 0.7 × 600; within 15 min: 3 of 4.
  firstResponse: { count: 4, median: 450, p90: 1020, withinTarget: 0.75 },
  byDay: [
    { date: "2026-11-01", leads: 2 },
    { date: "2026-11-02", leads: 2 },
    { date: "2026-11-03", leads: 1 },
  ],
  byChannel: [
    { channel: "web", leads: 3, won: 1 },
    { channel: "email", leads: 1, won: 0 },
    { channel: "telegram", leads: 1, won: 0 },
  ],
  bySource: [
    { source: "yandex", leads: 2, won: 1 },
    { source: "google", leads: 1, won: 0 },
    { source: "vk", leads: 1, won: 0 },
    { source: null, leads: 1, won: 0 },
  ],
  funnel: [
    { status: "new", reached: 5 },
    { status: "in_progress", reached: 2 },
    { status: "qualified", reached: 2 },
    { status: "won", reached: 1 },
    { status: "lost", reached: 1 },
    { status: "junk", reached: 0 },
  ],
};

describe("analytics summary", () => {
  it("every figure matches the hand-computed dataset", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const s = await owner.analytics.summary(PERIOD);
    expect(s.firstResponse.p90).toBeCloseTo(1020, 6);
    expect({ ...s, firstResponse: { ...s.firstResponse, p90: Math.round(s.firstResponse.p90!) } }).toEqual(expected);
    expect(ZAnalyticsSummary.parse(s)).toEqual(s);
  });

  it("the same through GET /api/v1/analytics/summary, with the contract's defaults and limits", async () => {
    const base = serverUrl();
    const get = (q: string, key = site.secretKey) => fetch(`${base}/api/v1/analytics/summary${q}`, { headers: { authorization: `Bearer ${key}` } });
    const r = await get("?from=2026-11-01&to=2026-11-03");
    expect(r.status).toBe(200);
    const body = await r.json();
    expect({ ...body, firstResponse: { ...body.firstResponse, p90: Math.round(body.firstResponse.p90) } }).toEqual(expected);
    // Default: the last 30 days ending today, every day present.
    const d = await (await get("")).json();
    expect(d.byDay).toHaveLength(30);
    expect(d.period.to).toBe(d.byDay[29].date);
    for (const [q, path] of [
      ["?from=2024-01-01&to=2026-01-02", "from"],
      ["?from=2026-11-05&to=2026-11-01", "from"],
      ["?from=2026-02-30", "from"],
      ["?to=yesterday", "to"],
      ["?from=2026-11-01%00", "from"],
      ["?from=0000-01-01&to=0000-01-02", "from"],
      ["?to=0001-01-10", "to"],
      ["?from=2024-02-31&to=2024-03-05", "from"],
      ["?from=1970-01-01&to=1970-01-05", "from"],
    ] as const) {
      const bad = await get(q);
      expect(bad.status, q).toBe(400);
      const e = await bad.json();
      expect(e.error.code, q).toBe("validation_error");
      expect(e.error.issues.map((i: { path: string }) => i.path), q).toContain(path);
    }
    expect((await get("?from=2026-11-01", "sk_nope")).status).toBe(401);
    expect((await fetch(`${base}/api/v1/analytics/summary`, { method: "POST", headers: { authorization: `Bearer ${site.secretKey}` } })).status).toBe(405);
  });

  it("at most 731 days, both ends inclusive", () => {
    expect(resolvePeriod({ from: "2025-01-01", to: "2026-12-31" }, "Europe/Moscow").days).toBe(730);
    expect(resolvePeriod({ from: "2024-12-31", to: "2026-12-31" }, "Europe/Moscow").days).toBe(731);
    expect(() => resolvePeriod({ from: "2024-12-30", to: "2026-12-31" }, "Europe/Moscow")).toThrow();
    expect(resolvePeriod({ to: "2026-03-01" }, "Europe/Moscow").from).toBe("2026-01-31");
  });

  it("days are the tenant's: Vladivostok", async () => {
    const t = await makeTenant("an-vvo");
    await withTenant(t.tenantId, (tx) => tx.update(tenants).set({ timezone: "Asia/Vladivostok" }).where(eq(tenants.id, t.tenantId)));
    await put(t.tenantId, [{ at: "2026-11-01T23:30:00+10:00" }, { at: "2026-11-01T14:30:00Z" }, { at: "2026-10-31T13:59:00Z" }]);
    const s = await callerFor({ userId: t.ownerUserId }, t.tenantId, "owner").analytics.summary({ from: "2026-11-01", to: "2026-11-02" });
    expect(s.period.timezone).toBe("Asia/Vladivostok");
    expect(s.byDay).toEqual([
      { date: "2026-11-01", leads: 1 },
      { date: "2026-11-02", leads: 1 },
    ]);
  });

  it("days are the tenant's: Berlin across the end of summer time (25 October 2026 has 25 hours)", async () => {
    const t = await makeTenant("an-ber");
    await withTenant(t.tenantId, (tx) => tx.update(tenants).set({ timezone: "Europe/Berlin" }).where(eq(tenants.id, t.tenantId)));
    await put(t.tenantId, [
      { at: "2026-10-24T23:30:00+02:00" },
      { at: "2026-10-25T00:30:00+02:00" },
      { at: "2026-10-25T23:30:00+01:00" },
      { at: "2026-10-26T00:30:00+01:00" },
    ]);
    const s = await callerFor({ userId: t.ownerUserId }, t.tenantId, "owner").analytics.summary({ from: "2026-10-24", to: "2026-10-26" });
    expect(s.byDay).toEqual([
      { date: "2026-10-24", leads: 1 },
      { date: "2026-10-25", leads: 2 },
      { date: "2026-10-26", leads: 1 },
    ]);
  });
});

describe("analytics dashboard", () => {
  it("KPIs, comparison, people, sources, categories and the heatmap", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const d = await owner.analytics.dashboard(PERIOD);
    expect(d.kpis).toMatchObject({ leads: 5, spamShare: 1 / 6, qualifiedRate: 3 / 5, wonRate: 0.2, medianResponse: 450, withinTarget: 0.75 });
    // The three days before: one lead (31 October), nothing else.
    expect(d.previous).toMatchObject({ from: "2026-10-29", to: "2026-10-31", leads: 1, wonRate: 0, medianResponse: null });
    expect(d.bucket).toBe("day");
    expect(d.series.map((s) => s.bucket)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(d.series[0]!.channel).toEqual({ web: 1, email: 1 });
    expect(d.series[1]!.source).toEqual({ yandex: 1, vk: 1 });
    const mine = d.people.find((p) => p.userId === sales.userId)!;
    expect(mine).toMatchObject({ assigned: 2, contacted: 2, medianResponse: 450, withinTarget: 1, won: 1, open: 1, email: sales.email });
    expect(d.people.find((p) => p.userId === null)).toMatchObject({ assigned: 3, contacted: 2, won: 0, open: 2 });
    expect(d.sources[0]).toMatchObject({ source: "yandex", leads: 2, qualified: 2, won: 1, medianResponse: 750 });
    expect(d.categories).toEqual(expect.arrayContaining([{ category: "seo", leads: 1 }, { category: null, leads: 4 }]));
    // 1 November 10:00 Moscow was a Sunday.
    expect(d.heatmap).toEqual(expect.arrayContaining([{ weekday: 7, hour: 10, leads: 1 }, { weekday: 7, hour: 23, leads: 1 }]));
    expect(d.heatmap.reduce((n, h) => n + h.leads, 0)).toBe(5);
  });

  it("agrees with the leads list under the same filters", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    for (const filters of [{}, { channel: "web" as const }, { assignee: sales.userId }, { assignee: "none" as const }]) {
      const d = await owner.analytics.dashboard({ ...PERIOD, ...filters });
      const listed = await owner.leads.count({ ...PERIOD, ...filters, spam: "hide" });
      expect(d.summary.leads, JSON.stringify(filters)).toBe(listed);
    }
    const d = await owner.analytics.dashboard({ ...PERIOD, source: "yandex" });
    expect(d.summary.leads).toBe(2);
    const none = await owner.analytics.dashboard({ ...PERIOD, source: "none" });
    expect(none.summary.leads).toBe(1);
  });

  it("a salesperson sees their own numbers only", async () => {
    const mine = await callerFor({ userId: sales.userId }, T.tenantId, "sales").analytics.dashboard(PERIOD);
    expect(mine.summary.leads).toBe(2);
    expect(mine.people.map((p) => p.userId)).toEqual([sales.userId]);
    const summary = await callerFor({ userId: sales.userId }, T.tenantId, "sales").analytics.summary(PERIOD);
    expect(summary.leads).toBe(2);
  });

  it("buckets: weeks start on Monday, months on the 1st", () => {
    expect(bucketList({ from: "2026-11-01", to: "2026-11-17", days: 17, timezone: "UTC" }, "week")).toEqual(["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]);
    expect(bucketList({ from: "2026-10-15", to: "2026-12-01", days: 48, timezone: "UTC" }, "month")).toEqual(["2026-10-01", "2026-11-01", "2026-12-01"]);
  });

  it("the funnel follows a status change made after the fact (the trigger keeps stages_reached)", async () => {
    const t = await makeTenant("an-trig");
    await put(t.tenantId, [{ at: "2026-11-02T10:00:00+03:00" }]);
    const owner = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    const [lead] = (await owner.leads.find({ limit: 1 })).items;
    await owner.leads.setStatus({ id: lead!.id, status: "qualified" });
    await owner.leads.setStatus({ id: lead!.id, status: "won" });
    const s = await owner.analytics.summary(PERIOD);
    expect(s.funnel.filter((f) => f.reached > 0).map((f) => f.status)).toEqual(["new", "qualified", "won"]);
    const [row] = await withTenant(t.tenantId, (tx) => tx.select({ s: leads.stagesReached }).from(leads).where(sql`true`));
    expect(row!.s).toEqual(["new", "qualified", "won"]);
  });

  it("the rollup gives the same figures as the live computation, and a change shows at once", async () => {
    const t = await makeTenant("an-roll");
    const s2 = await makeUser(t.slug, "sales");
    await put(t.tenantId, [
      { at: "2026-11-01T10:00:00+03:00", status: "won", stages: ["new", "in_progress", "won"], source: "yandex", response: 300, assignee: s2.userId, category: "seo" },
      { at: "2026-11-01T23:30:00+03:00", channel: "email", response: 45 },
      { at: "2026-11-02T09:00:00+03:00", status: "lost", stages: ["new", "qualified", "lost"], source: "yandex", response: 1200 },
      { at: "2026-11-02T12:00:00+03:00", channel: "telegram", status: "qualified", stages: ["new", "qualified"], source: "vk", response: 600, assignee: s2.userId },
      { at: "2026-11-02T13:00:00+03:00", status: "junk", spam: true, source: "yandex" },
      { at: "2026-10-30T08:00:00+03:00", response: 90 },
    ]);
    const owner = { userId: t.ownerUserId, role: "owner" as const };
    const dash = () => withTenant(t.tenantId, (tx) => getDashboard(tx, t.tenantId, owner, PERIOD), { userId: t.ownerUserId });
    const live = await dash();
    // Build every day's rollup; then nothing is dirty and every day of the period is read from it.
    while ((await withTenant(t.tenantId, (tx) => refreshStats(tx, t.tenantId, 2), { userId: t.ownerUserId })) > 0);
    const built = await withTenant(t.tenantId, (tx) => tx.execute(sql`select count(*)::int as n from lead_stats`), { userId: t.ownerUserId });
    expect((built as unknown as { n: number }[])[0]!.n).toBeGreaterThan(10);
    const rolled = await dash();
    expect(rolled).toEqual(live);
    // A lead changes: its day is read live again, the figure follows without waiting for the job.
    const owner2 = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    const [email] = (await owner2.leads.find({ limit: 10, channel: "email" })).items;
    await owner2.leads.setStatus({ id: email!.id, status: "won" });
    const after = await dash();
    expect(after.summary.won).toBe(live.summary.won + 1);
    await withTenant(t.tenantId, (tx) => refreshStats(tx, t.tenantId), { userId: t.ownerUserId });
    expect(await dash()).toEqual(after);
  });
});
