import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leadEvents, leads, memberships, tenants } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { makeSite, makeTenant, makeUser } from "@/test/factories";
import { autoAssign, reassignOverdue, setAvailability, setSiteTeam } from "./assignment";
import { updateLeadRules } from "./settings";

afterAll(() => closeDb());

async function insertLeads(tenantId: string, n: number, fields: Partial<typeof leads.$inferInsert> = {}) {
  const ids = Array.from({ length: n }, () => randomUUID());
  await withTenant(tenantId, (tx) => tx.insert(leads).values(ids.map((id) => ({ id, tenantId, channel: "web" as const, email: `${id}@example.ru`, ...fields }))));
  return ids;
}

describe("round-robin assignment", () => {
  it("spreads concurrent leads evenly over the available salespeople, skipping the unavailable", async () => {
    const t = await makeTenant("rr");
    const sales = await Promise.all([makeUser(t.slug, "sales"), makeUser(t.slug, "sales"), makeUser(t.slug, "sales"), makeUser(t.slug, "sales")]);
    await makeUser(t.slug, "manager"); // managers are not in the rotation
    await withTenant(t.tenantId, (tx) => setAvailability(tx, t.tenantId, sales[3]!.userId, false));
    const ids = await insertLeads(t.tenantId, 30);
    // As intake's follow-up jobs would: all at once, each in its own transaction.
    const assigned = await Promise.all(ids.map((id) => withTenant(t.tenantId, (tx) => autoAssign(tx, t.tenantId, id))));
    const counts = new Map<string, number>();
    for (const a of assigned) counts.set(a!, (counts.get(a!) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(sales.slice(0, 3).map((s) => s.userId).sort());
    expect([...counts.values()]).toEqual([10, 10, 10]);
    const events = await withTenant(t.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.type, "assigned")));
    expect(events).toHaveLength(30);
    expect(events[0]!.payload).toMatchObject({ auto: true, fromUserId: null });
  });

  it("leaves spam, already assigned leads and tenants that turned it off alone", async () => {
    const t = await makeTenant("rr-off");
    const s = await makeUser(t.slug, "sales");
    const [spam] = await insertLeads(t.tenantId, 1, { spam: true });
    const [taken] = await insertLeads(t.tenantId, 1, { assigneeId: t.ownerUserId });
    expect(await withTenant(t.tenantId, (tx) => autoAssign(tx, t.tenantId, spam!))).toBeNull();
    expect(await withTenant(t.tenantId, (tx) => autoAssign(tx, t.tenantId, taken!))).toBeNull();
    const [row] = await withTenant(t.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, taken!)));
    expect(row!.assigneeId).toBe(t.ownerUserId);
    await withTenant(t.tenantId, (tx) => tx.update(tenants).set({ settings: sql`${tenants.settings} || '{"autoAssign": false}'::jsonb` }).where(eq(tenants.id, t.tenantId)));
    const [fresh] = await insertLeads(t.tenantId, 1);
    expect(await withTenant(t.tenantId, (tx) => autoAssign(tx, t.tenantId, fresh!))).toBeNull();
    const [m] = await withTenant(t.tenantId, (tx) => tx.select().from(memberships).where(and(eq(memberships.userId, s.userId), eq(memberships.tenantId, t.tenantId))));
    expect(m!.lastAssignedAt).toBeNull();
  });

  it("runs from the lead's follow-up job: a lead from intake gets a salesperson", async () => {
    const { taskList } = await import("@/lib/jobs/index");
    const t = await makeTenant("rr-job");
    const s = await makeUser(t.slug, "sales");
    const [id] = await insertLeads(t.tenantId, 1);
    await taskList()["lead:received"]!({ tenantId: t.tenantId, leadId: id }, { logger: { debug() {}, warn() {}, error() {} }, job: { id: "1" }, addJob: async () => ({}) } as never);
    const [row] = await withTenant(t.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id!)));
    expect(row!.assigneeId).toBe(s.userId);
  });

  it("per site: a site with its own team hands its leads only to that team, in turn", async () => {
    const t = await makeTenant("rr-site");
    const [a, b, c] = await Promise.all([makeUser(t.slug, "sales"), makeUser(t.slug, "sales"), makeUser(t.slug, "sales")]);
    const site = await makeSite(t.tenantId);
    await withTenant(t.tenantId, (tx) => setSiteTeam(tx, t.tenantId, site.siteId, [a!.userId, b!.userId], t.ownerUserId));
    const ids = await insertLeads(t.tenantId, 6, { siteId: site.siteId });
    const got = await Promise.all(ids.map((id) => withTenant(t.tenantId, (tx) => autoAssign(tx, t.tenantId, id))));
    expect(got.filter((g) => g === a!.userId)).toHaveLength(3);
    expect(got.filter((g) => g === b!.userId)).toHaveLength(3);
    // A lead without a site (or of a site without a team) goes to anyone, c first (never had one).
    const [loose] = await insertLeads(t.tenantId, 1);
    expect(await withTenant(t.tenantId, (tx) => autoAssign(tx, t.tenantId, loose!))).toBe(c!.userId);
    // Only active salespeople can be in a team.
    await expect(withTenant(t.tenantId, (tx) => setSiteTeam(tx, t.tenantId, site.siteId, [t.ownerUserId], t.ownerUserId))).rejects.toMatchObject({ code: "validation_error" });
  });

  it("an overdue lead goes once to the next salesperson, only when the tenant asked for it", async () => {
    const t = await makeTenant("rr-overdue");
    const [a, b] = await Promise.all([makeUser(t.slug, "sales"), makeUser(t.slug, "sales")]);
    const past = new Date(Date.now() - 60_000);
    const [late, answered, future] = await insertLeads(t.tenantId, 3, { assigneeId: a!.userId, firstResponseDueAt: past });
    await withTenant(t.tenantId, (tx) => tx.update(leads).set({ firstResponseAt: new Date() }).where(eq(leads.id, answered!)));
    await withTenant(t.tenantId, (tx) => tx.update(leads).set({ firstResponseDueAt: new Date(Date.now() + 3600_000) }).where(eq(leads.id, future!)));
    // Off by default.
    expect(await withTenant(t.tenantId, (tx) => reassignOverdue(tx, t.tenantId, late!))).toBeNull();
    await withTenant(t.tenantId, (tx) => tx.update(tenants).set({ settings: sql`${tenants.settings} || '{"reassignOverdue": true}'::jsonb` }).where(eq(tenants.id, t.tenantId)));
    expect(await withTenant(t.tenantId, (tx) => reassignOverdue(tx, t.tenantId, late!))).toBe(b!.userId);
    expect(await withTenant(t.tenantId, (tx) => reassignOverdue(tx, t.tenantId, answered!))).toBeNull();
    expect(await withTenant(t.tenantId, (tx) => reassignOverdue(tx, t.tenantId, future!))).toBeNull();
    // Once: it does not bounce back.
    expect(await withTenant(t.tenantId, (tx) => reassignOverdue(tx, t.tenantId, late!))).toBeNull();
    const [row] = await withTenant(t.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, late!)));
    expect(row!.assigneeId).toBe(b!.userId);
    const events = await withTenant(t.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, late!)));
    expect(events.map((e) => e.payload)).toEqual([{ fromUserId: a!.userId, toUserId: b!.userId, auto: true, reason: "overdue" }]);
  });

  it("the lead-received job fixes the first-response deadline in the tenant's working hours", async () => {
    const { taskList } = await import("@/lib/jobs/index");
    const t = await makeTenant("rr-due");
    await withTenant(t.tenantId, (tx) =>
      updateLeadRules(tx, t.tenantId, { timezone: "Europe/Moscow", dedupeWindowDays: 30, firstResponseTargetMinutes: 30, workingHours: { enabled: true, days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" }, autoAssign: true, reassignOverdue: false }, t.ownerUserId),
    );
    // Friday 17:50 Moscow time: due Monday 09:20.
    const [id, imported] = await Promise.all([
      insertLeads(t.tenantId, 1, { createdAt: new Date("2026-12-04T17:50:00+03:00") }),
      insertLeads(t.tenantId, 1, { channel: "import" }),
    ]).then((r) => r.flat());
    const helpers = { logger: { debug() {}, info() {}, warn() {}, error() {} }, job: { id: "1" }, addJob: async () => ({}) } as never;
    await taskList()["lead:received"]!({ tenantId: t.tenantId, leadId: id }, helpers);
    await taskList()["lead:received"]!({ tenantId: t.tenantId, leadId: imported }, helpers);
    const rows = await withTenant(t.tenantId, (tx) => tx.select().from(leads).where(eq(leads.tenantId, t.tenantId)));
    expect(rows.find((r) => r.id === id)!.firstResponseDueAt?.toISOString()).toBe(new Date("2026-12-07T09:20:00+03:00").toISOString());
    expect(rows.find((r) => r.id === imported)!.firstResponseDueAt).toBeNull();
  });
});
