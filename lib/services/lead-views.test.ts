// The leads list's orders, "needs attention" filters, previous/next, bulk actions and saved views,
// through the tRPC procedures a signed-in member calls (roles and RLS included).
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { auditLog, leadEvents, leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { LEAD_SORTS, type LeadSort } from "@/lib/validators/leads";
import { callerFor } from "@/test/caller";
import { makeTenant, makeUser } from "@/test/factories";

let T: Awaited<ReturnType<typeof makeTenant>>;
let sales: Awaited<ReturnType<typeof makeUser>>;
let other: Awaited<ReturnType<typeof makeUser>>;
const ids: string[] = [];
const STATUSES = ["new", "in_progress", "qualified", "won"];

beforeAll(async () => {
  T = await makeTenant("views");
  sales = await makeUser(T.slug, "sales");
  other = await makeUser(T.slug, "sales");
  const base = Date.now() - 10 * 3600_000;
  await withTenant(T.tenantId, (tx) =>
    tx.insert(leads).values(
      Array.from({ length: 23 }, (_, i) => {
        const id = randomUUID();
        ids.push(id);
        return {
          id,
          tenantId: T.tenantId,
          channel: "web" as const,
          name: `Клиент ${i}`,
          email: `v${i}@example.ru`,
          emailNorm: `v${i}@example.ru`,
          status: STATUSES[i % 4]!,
          assigneeId: i % 3 === 0 ? sales.userId : i % 3 === 1 ? other.userId : null,
          // Ties on purpose: pairs share a timestamp, scores and due times repeat, some are null.
          createdAt: new Date(base + Math.floor(i / 2) * 60_000),
          updatedAt: new Date(base + ((i * 7) % 23) * 60_000),
          aiScore: i % 5 === 0 ? null : (i * 13) % 4 * 25,
          nextStepKind: i % 4 === 0 ? null : ("call" as const),
          nextStepDueAt: i % 4 === 0 ? null : new Date(base + ((i * 5) % 6) * 3600_000),
          firstResponseDueAt: i < 6 ? new Date(Date.now() + (i % 2 === 0 ? -60_000 : 3600_000)) : null,
          firstResponseAt: i === 0 ? new Date() : null,
        };
      }),
    ),
  );
});

afterAll(() => closeDb());

async function walk(caller: ReturnType<typeof callerFor>, sort: LeadSort, limit: number, filters: Record<string, unknown> = {}) {
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await caller.leads.find({ ...filters, sort, limit, cursor });
    seen.push(...page.items.map((l) => l.id));
    cursor = page.nextCursor;
  } while (cursor);
  return seen;
}

describe("list orders", () => {
  it.each(LEAD_SORTS)("%s: pages cover every lead once, in the order of one big page", async (sort) => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const all = (await owner.leads.find({ sort, limit: 100 })).items.map((l) => l.id);
    expect(all).toHaveLength(23);
    for (const limit of [1, 4, 7]) expect(await walk(owner, sort, limit)).toEqual(all);
  });

  it("leads that arrived in the same millisecond are neither skipped nor repeated between pages", async () => {
    const t = await makeTenant("views-us");
    await withTenant(t.tenantId, (tx) =>
      tx.execute(sql`insert into leads (tenant_id, channel, email, created_at, updated_at)
        select ${t.tenantId}, 'web', 'us' || i || '@example.ru', ts + i * interval '1 microsecond', ts + i * interval '1 microsecond'
        from generate_series(1, 6) i, (select date_trunc('milliseconds', now()) as ts) t`),
    );
    const owner = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    for (const sort of ["created", "updated"] as const) {
      const seen = await walk(owner, sort, 1);
      expect(new Set(seen).size).toBe(6);
      expect(seen).toHaveLength(6);
    }
  });

  it("orders by what it says", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const byStatus = (await owner.leads.find({ sort: "status", limit: 100 })).items.map((l) => STATUSES.indexOf(l.status));
    expect(byStatus).toEqual([...byStatus].sort((a, b) => a - b));
    const rows = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(eq(leads.tenantId, T.tenantId)));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const scores = (await owner.leads.find({ sort: "score", limit: 100 })).items.map((l) => byId.get(l.id)!.aiScore);
    const firstNull = scores.indexOf(null);
    expect(scores.slice(firstNull).every((s) => s === null)).toBe(true);
    expect(scores.slice(0, firstNull)).toEqual([...scores.slice(0, firstNull)].sort((a, b) => b! - a!));
    const due = (await owner.leads.find({ sort: "next_step", limit: 100 })).items.map((l) => byId.get(l.id)!.nextStepDueAt?.getTime() ?? Infinity);
    expect(due).toEqual([...due].sort((a, b) => a - b));
    const updated = (await owner.leads.find({ sort: "updated", limit: 100 })).items.map((l) => new Date(l.updatedAt).getTime());
    expect(updated).toEqual([...updated].sort((a, b) => b - a));
  });

  it("a salesperson's pages hold only their own and unassigned leads", async () => {
    const caller = callerFor({ userId: sales.userId }, T.tenantId, "sales");
    const seen = await walk(caller, "status", 3);
    const rows = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(eq(leads.tenantId, T.tenantId)));
    const visible = rows.filter((r) => r.assigneeId === null || r.assigneeId === sales.userId).map((r) => r.id);
    expect([...seen].sort()).toEqual([...visible].sort());
  });

  it("a cursor from another order, or forged, is a validation error", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const page = await owner.leads.find({ sort: "score", limit: 2 });
    await expect(owner.leads.find({ sort: "created", limit: 2, cursor: page.nextCursor })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const forged = Buffer.from(JSON.stringify({ s: "score", v: ["x", "2020-01-01T00:00:00Z"], id: randomUUID() })).toString("base64url");
    await expect(owner.leads.find({ sort: "score", limit: 2, cursor: forged })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.leads.find({ sort: "created", limit: 2, cursor: "not-base64-json" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Values Postgres would reject: an int past int4, a day that does not exist (V8 rolls it over).
    const big = Buffer.from(JSON.stringify({ s: "score", v: [3_000_000_000, "2026-01-01T00:00:00.000000Z"], id: randomUUID() })).toString("base64url");
    await expect(owner.leads.find({ sort: "score", limit: 2, cursor: big })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const feb30 = Buffer.from(JSON.stringify({ s: "created", v: ["2024-02-30T00:00:00Z"], id: randomUUID() })).toString("base64url");
    await expect(owner.leads.find({ sort: "created", limit: 2, cursor: feb30 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.leads.find({ limit: 2, from: "2024-02-31" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.leads.count({ from: "0000-01-01" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("needs-attention filters", () => {
  it("overdue: waiting for a first response past the deadline; step: a next step due by tonight", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const overdue = (await owner.leads.find({ due: "response", limit: 100 })).items.map((l) => l.id);
    expect(overdue.sort()).toEqual([ids[2], ids[4]].sort()); // 0 was answered; odd ones are not due yet
    expect(await owner.leads.count({ due: "response" })).toBe(2);
    const step = await owner.leads.find({ due: "step", limit: 100 });
    expect(step.items.length).toBeGreaterThan(0);
    const rows = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(eq(leads.tenantId, T.tenantId)));
    // Every seeded step is due 5–10 hours ago: all of them count, and no lead without one.
    expect(step.items.length).toBe(rows.filter((r) => r.nextStepDueAt).length);
  });
});

describe("previous / next in a view", () => {
  it.each(LEAD_SORTS)("%s: walking next from the first reaches every lead of the view, and prev walks back", async (sort) => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const view = { sort, status: "in_progress" };
    const order = (await owner.leads.find({ ...view, limit: 100 })).items.map((l) => l.id);
    expect(order.length).toBeGreaterThan(2);
    for (let i = 0; i < order.length; i++) {
      const n = await owner.leads.neighbours({ ...view, id: order[i]! });
      expect(n.prev).toBe(order[i - 1] ?? null);
      expect(n.next).toBe(order[i + 1] ?? null);
    }
  });

  it("a lead the viewer cannot see has no neighbours to show (404)", async () => {
    const caller = callerFor({ userId: sales.userId }, T.tenantId, "sales");
    await expect(caller.leads.neighbours({ sort: "created", id: ids[1]! })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("bulk actions", () => {
  it("assign, status and spam change every selected lead with its timeline and audit rows", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    const picked = [ids[5]!, ids[8]!, ids[11]!];
    expect(await owner.leads.bulk({ ids: picked, change: { kind: "assign", assigneeId: other.userId } })).toEqual({ changed: 3 });
    expect(await owner.leads.bulk({ ids: picked, change: { kind: "status", status: "qualified" } })).toEqual({ changed: 3 });
    const rows = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(eq(leads.tenantId, T.tenantId)));
    for (const id of picked) expect(rows.find((r) => r.id === id)).toMatchObject({ assigneeId: other.userId, status: "qualified" });
    const events = await withTenant(T.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.tenantId, T.tenantId)));
    expect(events.filter((e) => picked.includes(e.leadId) && e.type === "status_changed")).toHaveLength(3);
    const audit = await withTenant(T.tenantId, (tx) => tx.select().from(auditLog).where(eq(auditLog.tenantId, T.tenantId)));
    expect(audit.filter((a) => picked.includes(a.entityId ?? "") && a.action === "lead.assign")).toHaveLength(3);
  });

  it("is all or nothing: one lead a salesperson may not change rolls back the rest", async () => {
    const caller = callerFor({ userId: sales.userId }, T.tenantId, "sales");
    const mine = ids[3]!; // assigned to `sales`
    const theirs = ids[1]!; // assigned to `other`
    await expect(caller.leads.bulk({ ids: [mine, theirs], change: { kind: "spam", spam: true } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [row] = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, mine)));
    expect(row!.spam).toBe(false);
    // …and a salesperson cannot hand leads to someone else in bulk either.
    await expect(caller.leads.bulk({ ids: [mine], change: { kind: "assign", assigneeId: other.userId } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await caller.leads.bulk({ ids: [mine], change: { kind: "spam", spam: true } })).toEqual({ changed: 1 });
  });

  it("rejects an empty or oversized selection with a field error", async () => {
    const owner = callerFor({ userId: T.ownerUserId }, T.tenantId, "owner");
    await expect(owner.leads.bulk({ ids: [], change: { kind: "spam", spam: true } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(owner.leads.bulk({ ids: Array.from({ length: 201 }, () => randomUUID()), change: { kind: "spam", spam: true } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("saved views", () => {
  it("are each member's own, canonical, replaced by name, and deletable", async () => {
    const me = callerFor({ userId: sales.userId }, T.tenantId, "sales");
    const colleague = callerFor({ userId: other.userId }, T.tenantId, "sales");
    const v = await me.leads.saveView({ name: "Мои просроченные", query: "assignee=me&due=response&bogus=1&status=NOT A KEY" });
    expect(v.query).toBe("assignee=me&due=response");
    await me.leads.saveView({ name: "Мои просроченные", query: "assignee=me&due=response&sort=updated" });
    expect(await me.leads.views()).toEqual([{ id: v.id, name: "Мои просроченные", query: "assignee=me&due=response&sort=updated" }]);
    expect(await colleague.leads.views()).toEqual([]);
    await expect(colleague.leads.deleteView({ id: v.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await me.leads.deleteView({ id: v.id });
    expect(await me.leads.views()).toEqual([]);
  });
});
