import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leadEvents, leads, memberships, tenants } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { makeTenant, makeUser } from "@/test/factories";
import { autoAssign, setAvailability } from "./assignment";

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
    await taskList()["lead:received"]!({ tenantId: t.tenantId, leadId: id }, { logger: { debug() {}, warn() {}, error() {} }, job: { id: "1" } } as never);
    const [row] = await withTenant(t.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id!)));
    expect(row!.assigneeId).toBe(s.userId);
  });
});
