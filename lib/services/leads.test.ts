import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { makeTenant, makeUser } from "@/test/factories";
import { countLeads, findBoard, findLeads, getLead, type Viewer } from "./leads";

let T: Awaited<ReturnType<typeof makeTenant>>;
let sales: Awaited<ReturnType<typeof makeUser>>;
let owner: Viewer;
let salesViewer: Viewer;
const ids: string[] = [];

beforeAll(async () => {
  T = await makeTenant("leads");
  sales = await makeUser(T.slug, "sales");
  const other = await makeUser(T.slug, "sales");
  owner = { userId: T.ownerUserId, role: "owner" };
  salesViewer = { userId: sales.userId, role: "sales" };
  const base = Date.now() - 3600_000;
  await withTenant(T.tenantId, async (tx) => {
    const rows = Array.from({ length: 30 }, (_, i) => {
      const id = randomUUID();
      ids.push(id);
      return {
        id,
        tenantId: T.tenantId,
        channel: "web" as const,
        name: i === 3 ? "Иван Петров" : `Клиент ${i}`,
        company: i === 4 ? "ООО «Ромашка»" : null,
        email: `c${i}@example.ru`,
        emailNorm: `c${i}@example.ru`,
        phone: i === 5 ? "+79161234567" : null,
        phoneNorm: i === 5 ? "+79161234567" : null,
        status: i % 3 === 0 ? "new" : "in_progress",
        assigneeId: i % 3 === 1 ? sales.userId : i % 3 === 2 ? other.userId : null,
        // Same timestamp for a few rows: the cursor must still be stable.
        createdAt: new Date(base + Math.floor(i / 2) * 1000),
      };
    });
    await tx.insert(leads).values(rows);
  });
});

afterAll(() => closeDb());

describe("findLeads", () => {
  it("pages newest first with a stable cursor, no duplicates or gaps", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof findLeads>> = await withTenant(T.tenantId, (tx) => findLeads(tx, owner, { limit: 7, cursor }));
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
  });

  it("finds by name prefix, company, phone digits and e-mail", async () => {
    const q = (text: string) => withTenant(T.tenantId, (tx) => findLeads(tx, owner, { limit: 25, q: text })).then((r) => r.items.map((l) => l.name));
    expect(await q("иван пет")).toEqual(["Иван Петров"]);
    expect(await q("ромашка")).toEqual(["Клиент 4"]);
    expect(await q("916 123-45")).toEqual(["Клиент 5"]);
    expect(await q("c7@example")).toEqual(["Клиент 7"]);
  });

  it("understands Russian word forms, and finds phones and e-mails by the fragments people type", async () => {
    const t = await makeTenant("search");
    const viewer: Viewer = { userId: t.ownerUserId, role: "owner" };
    await withTenant(t.tenantId, (tx) =>
      tx.insert(leads).values([
        { tenantId: t.tenantId, channel: "web", name: "Алина Новикова", email: "novikova69@bk.ru", emailNorm: "novikova69@bk.ru", message: "Нужен сайт для салона красоты" },
        { tenantId: t.tenantId, channel: "web", name: "Олег", phone: "+79973245298", phoneNorm: "+79973245298", message: "Делаете сайты на Тильде? И рекламу в Директе" },
        { tenantId: t.tenantId, channel: "email", name: "John Smith", email: "john@acme.com", emailNorm: "john@acme.com", message: "We need new websites for our shops" },
      ]),
    );
    const q = (text: string) => withTenant(t.tenantId, (tx) => findLeads(tx, viewer, { limit: 25, q: text })).then((r) => r.items.map((l) => l.name).sort());
    expect(await q("сайты")).toEqual(["Алина Новикова", "Олег"]);
    expect(await q("сайт")).toEqual(["Алина Новикова", "Олег"]);
    expect(await q("рекламы")).toEqual(["Олег"]);
    expect(await q("салоны красоты")).toEqual(["Алина Новикова"]);
    expect(await q("website")).toEqual(["John Smith"]);
    expect(await q("8 997 324-52-98")).toEqual(["Олег"]);
    expect(await q("89973245298")).toEqual(["Олег"]);
    expect(await q("+7 (997) 324")).toEqual(["Олег"]);
    expect(await q("997 324")).toEqual(["Олег"]);
    expect(await q("novikova69")).toEqual(["Алина Новикова"]);
    expect(await q("bk.ru")).toEqual(["Алина Новикова"]);
    expect(await q("новик")).toEqual(["Алина Новикова"]);
    expect(await q("викова")).toEqual(["Алина Новикова"]);
    expect(await q("100%_\\")).toEqual([]);
    expect(await q("сантехника")).toEqual([]);
  });

  it("filters spam, assignee and days in the tenant's time zone, and counts exactly the filtered view", async () => {
    const t = await makeTenant("filters"); // Europe/Moscow (UTC+3)
    const v: Viewer = { userId: t.ownerUserId, role: "owner" };
    await withTenant(t.tenantId, (tx) =>
      tx.insert(leads).values([
        // 2026-03-10 23:30 in Moscow is still 2026-03-10 20:30 UTC; 2026-03-11 00:30 Moscow is 2026-03-10 21:30 UTC.
        { tenantId: t.tenantId, channel: "web", name: "Вечер", email: "a@x.ru", createdAt: new Date("2026-03-10T20:30:00Z") },
        { tenantId: t.tenantId, channel: "web", name: "Полночь", email: "b@x.ru", createdAt: new Date("2026-03-10T21:30:00Z") },
        { tenantId: t.tenantId, channel: "api", name: "Спамер", email: "c@x.ru", spam: true, createdAt: new Date("2026-03-11T10:00:00Z") },
        { tenantId: t.tenantId, channel: "api", name: "Мой", email: "d@x.ru", assigneeId: t.ownerUserId, createdAt: new Date("2026-03-12T10:00:00Z") },
      ]),
    );
    const names = (f: Parameters<typeof findLeads>[2]) => withTenant(t.tenantId, (tx) => findLeads(tx, v, f)).then((r) => r.items.map((l) => l.name).sort());
    const count = (f: Parameters<typeof countLeads>[2]) => withTenant(t.tenantId, (tx) => countLeads(tx, v, f));
    expect(await names({ limit: 25, spam: "hide" })).toEqual(["Вечер", "Мой", "Полночь"]);
    expect(await names({ limit: 25, spam: "only" })).toEqual(["Спамер"]);
    expect(await names({ limit: 25 })).toHaveLength(4);
    expect(await names({ limit: 25, from: "2026-03-10", to: "2026-03-10" })).toEqual(["Вечер"]);
    expect(await names({ limit: 25, from: "2026-03-11", to: "2026-03-11" })).toEqual(["Полночь", "Спамер"]);
    expect(await names({ limit: 25, assignee: "me" })).toEqual(["Мой"]);
    expect(await names({ limit: 25, assignee: "none", channel: "web" })).toEqual(["Вечер", "Полночь"]);
    expect(await count({ spam: "hide" })).toBe(3);
    expect(await count({ spam: "hide", channel: "api" })).toBe(1);
    expect(await count({ from: "2026-03-11" })).toBe(3);
  });

  it("a salesperson sees their own and unassigned leads only", async () => {
    const res = await withTenant(T.tenantId, (tx) => findLeads(tx, salesViewer, { limit: 100 }));
    expect(res.items).toHaveLength(20);
    expect(res.items.every((l) => l.assignee === null || l.assignee.email === sales.email)).toBe(true);
    const hidden = ids[2]!; // assigned to the other salesperson
    await expect(withTenant(T.tenantId, (tx) => getLead(tx, salesViewer, hidden))).rejects.toMatchObject({ code: "not_found" });
  });

  it("rejects a forged cursor with a validation error", async () => {
    await expect(withTenant(T.tenantId, (tx) => findLeads(tx, owner, { limit: 5, cursor: "bm9wZQ" }))).rejects.toMatchObject({ code: "validation_error" });
  });

  it("filters by status and builds the board", async () => {
    const res = await withTenant(T.tenantId, (tx) => findLeads(tx, owner, { limit: 100, status: "new" }));
    expect(res.items).toHaveLength(10);
    const board = await withTenant(T.tenantId, (tx) => findBoard(tx, owner, {}, 4));
    const byKey = Object.fromEntries(board.map((c) => [c.key, c]));
    expect(byKey.new?.count).toBe(10);
    expect(byKey.new?.items).toHaveLength(4);
    // The rest of a long column, by its cursor, without gaps or repeats.
    const rest = await withTenant(T.tenantId, (tx) => findLeads(tx, owner, { limit: 100, status: "new", cursor: byKey.new!.nextCursor }));
    expect(rest.items).toHaveLength(6);
    expect(new Set([...byKey.new!.items, ...rest.items].map((l) => l.id)).size).toBe(10);
    expect(byKey.in_progress?.count).toBe(20);
  });
});
