import { randomUUID } from "node:crypto";
import { and, asc, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { auditLog, DEFAULT_STAGES, leads, pipelineStages } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { callerFor } from "@/test/caller";
import { makeTenant, makeUser } from "@/test/factories";

// Settings → Pipeline through the procedures an owner's browser calls: rename, colour, Bitrix24
// mapping, order, add and delete, with the rules that keep the contract's stages and the board sane.

let T: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
let manager: Awaited<ReturnType<typeof makeUser>>;
let sales: Awaited<ReturnType<typeof makeUser>>;

beforeAll(async () => {
  T = await makeTenant("pipe");
  other = await makeTenant("pipe-other");
  manager = await makeUser(T.slug, "manager");
  sales = await makeUser(T.slug, "sales");
});
afterAll(() => closeDb());

const asOwner = (t = T) => callerFor({ userId: t.ownerUserId, email: t.ownerEmail }, t.tenantId, "owner");
const rowsOf = (tenantId: string) => withTenant(tenantId, (tx) => tx.select().from(pipelineStages).orderBy(asc(pipelineStages.position)));
const keysOf = async (tenantId: string) => (await rowsOf(tenantId)).map((r) => r.key);
const auditOf = (tenantId: string, action: string) => withTenant(tenantId, (tx) => tx.select().from(auditLog).where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.action, action))));

async function insertLead(tenantId: string, status: string) {
  const id = randomUUID();
  await withTenant(tenantId, (tx) => tx.insert(leads).values({ id, tenantId, channel: "web", name: "Клиент", email: `${id}@example.ru`, emailNorm: `${id}@example.ru`, status }));
  return id;
}

/** Positions 0…n-1, each once; non-terminal stages first with `new` leading, then the terminal ones. */
async function expectSaneOrder(tenantId: string) {
  const rows = await rowsOf(tenantId);
  expect(rows.map((r) => r.position)).toEqual(rows.map((_, i) => i));
  expect(rows[0]!.key).toBe("new");
  const firstTerminal = rows.findIndex((r) => r.terminal);
  expect(rows.slice(firstTerminal).every((r) => r.terminal)).toBe(true);
  expect(rows.filter((r) => r.terminal).map((r) => r.key)).toEqual(["won", "lost", "junk"]);
}

describe("pipeline settings", () => {
  it("adds a stage from a Russian label: a latin key, before the terminal stages, mapped to IN_PROCESS, audited", async () => {
    const created = await asOwner().settings.createStage({ labels: { ru: "Переговоры" }, color: "cyan" });
    expect(created).toMatchObject({ key: "peregovory", labels: { ru: "Переговоры", en: "Переговоры" }, color: "cyan", terminal: false, bitrixStatusId: "IN_PROCESS", contract: false, leads: 0 });
    expect(await keysOf(T.tenantId)).toEqual(["new", "in_progress", "qualified", "peregovory", "won", "lost", "junk"]);
    await expectSaneOrder(T.tenantId);

    // The same label again gets its own key; an English label is kept as given.
    const twin = await asOwner().settings.createStage({ labels: { ru: "Переговоры", en: "Negotiation" } });
    expect(twin).toMatchObject({ key: "peregovory_2", labels: { en: "Negotiation" }, color: "gray" });
    const audit = await auditOf(T.tenantId, "pipeline.stage_create");
    expect(audit.map((a) => a.entityId).sort()).toEqual(["peregovory", "peregovory_2"]);
    expect(audit[0]!.actorUserId).toBe(T.ownerUserId);

    // The board, the list's filter and the lead page read the stages through leads.stages.
    const stages = await asOwner().leads.stages();
    expect(stages.map((s) => s.key)).toEqual(["new", "in_progress", "qualified", "peregovory", "peregovory_2", "won", "lost", "junk"]);
    expect(stages.find((s) => s.key === "peregovory")).toMatchObject({ label: "Переговоры", color: "cyan" });

    await asOwner().settings.deleteStage({ key: "peregovory_2" });
  });

  it("renames, recolours and remaps any stage (the contract's too); the key never changes", async () => {
    const won = await asOwner().settings.updateStage({ key: "won", labels: { ru: "  Сделка  ", en: "Deal" }, color: "lime", bitrixStatusId: "c1:won" });
    expect(won).toMatchObject({ key: "won", labels: { ru: "Сделка", en: "Deal" }, color: "lime", bitrixStatusId: "C1:WON", terminal: true, contract: true });
    // An empty English label reads as the Russian one.
    const newStage = await asOwner().settings.updateStage({ key: "new", labels: { ru: "Входящие", en: "" } });
    expect(newStage.labels).toEqual({ ru: "Входящие", en: "Входящие" });
    expect((await asOwner().leads.stages()).find((s) => s.key === "won")!.label).toBe("Сделка");
    const [audit] = await auditOf(T.tenantId, "pipeline.stage_update");
    expect(audit!.data).toMatchObject({ changed: { color: { from: "emerald", to: "lime" }, bitrixStatusId: { from: "CONVERTED", to: "C1:WON" } } });

    for (const bad of [
      { key: "won", labels: { ru: "" } },
      { key: "won", labels: { ru: "x".repeat(41) } },
      { key: "won", labels: { ru: "ok", en: "y".repeat(41) } },
      { key: "won", labels: { ru: "a\u0000b" } },
      { key: "won", color: "pink" },
      { key: "won", bitrixStatusId: "NOT VALID" },
      { key: "won", bitrixStatusId: "A".repeat(51) },
      { key: "Won" },
    ]) {
      await expect(asOwner().settings.updateStage(bad as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(asOwner().settings.updateStage({ key: "nope_nope", color: "blue" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await rowsOf(T.tenantId)).find((r) => r.key === "won")).toMatchObject({ labels: { ru: "Сделка", en: "Deal" }, color: "lime" });
  });

  it("reorders the non-terminal stages; `new` stays first, the terminal stages stay last in their order", async () => {
    await asOwner().settings.createStage({ labels: { ru: "Встреча" }, color: "indigo" });
    expect(await keysOf(T.tenantId)).toEqual(["new", "in_progress", "qualified", "peregovory", "vstrecha", "won", "lost", "junk"]);
    const order = await asOwner().settings.reorderStages({ keys: ["new", "vstrecha", "in_progress", "peregovory", "qualified"] });
    expect(order).toEqual(["new", "vstrecha", "in_progress", "peregovory", "qualified", "won", "lost", "junk"]);
    expect(await keysOf(T.tenantId)).toEqual(order);
    await expectSaneOrder(T.tenantId);
    expect(await auditOf(T.tenantId, "pipeline.reorder")).toHaveLength(1);

    await expect(asOwner().settings.reorderStages({ keys: ["in_progress", "new", "vstrecha", "peregovory", "qualified"] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(asOwner().settings.reorderStages({ keys: ["new", "won", "vstrecha", "in_progress", "peregovory", "qualified"] })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(asOwner().settings.reorderStages({ keys: ["new", "vstrecha", "in_progress", "peregovory"] })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(asOwner().settings.reorderStages({ keys: ["new", "vstrecha", "vstrecha", "peregovory", "qualified"] })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await keysOf(T.tenantId)).toEqual(order);
  });

  it("concurrent reorders and additions never leave two stages at one position", async () => {
    const a = ["new", "qualified", "peregovory", "vstrecha", "in_progress"];
    const b = ["new", "in_progress", "vstrecha", "qualified", "peregovory"];
    const results = await Promise.allSettled([
      asOwner().settings.reorderStages({ keys: a }),
      asOwner().settings.createStage({ labels: { ru: "Счёт выставлен" } }),
      asOwner().settings.reorderStages({ keys: b }),
      asOwner().settings.createStage({ labels: { ru: "Договор" } }),
    ]);
    // A reorder that lost the race to an addition names a stale set of stages: refused, not half-applied.
    for (const r of results) if (r.status === "rejected") expect(r.reason).toMatchObject({ code: "CONFLICT" });
    await expectSaneOrder(T.tenantId);
    const keys = await keysOf(T.tenantId);
    expect(keys).toEqual(expect.arrayContaining(["schet_vystavlen", "dogovor"]));
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of ["schet_vystavlen", "dogovor"]) await asOwner().settings.deleteStage({ key });
  });

  it("deletes only an added stage with no leads; the contract's stages and a stage in use stay, nothing half-written", async () => {
    for (const key of DEFAULT_STAGES.map((s) => s.key)) {
      await expect(asOwner().settings.deleteStage({ key })).rejects.toMatchObject({ code: "CONFLICT" });
    }
    const leadId = await insertLead(T.tenantId, "vstrecha");
    await insertLead(T.tenantId, "vstrecha");
    await expect(asOwner().settings.deleteStage({ key: "vstrecha" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("2 leads") });
    expect(await keysOf(T.tenantId)).toContain("vstrecha");
    expect((await asOwner().settings.stages()).find((s) => s.key === "vstrecha")!.leads).toBe(2);
    expect((await auditOf(T.tenantId, "pipeline.stage_delete")).map((a) => a.entityId)).not.toContain("vstrecha");

    // Move the leads away and the stage can go; positions close up.
    await asOwner().leads.setStatus({ id: leadId, status: "qualified" });
    await withTenant(T.tenantId, (tx) => tx.update(leads).set({ status: "in_progress" }).where(eq(leads.status, "vstrecha")));
    await asOwner().settings.deleteStage({ key: "vstrecha" });
    expect(await keysOf(T.tenantId)).not.toContain("vstrecha");
    await expectSaneOrder(T.tenantId);
    expect((await auditOf(T.tenantId, "pipeline.stage_delete")).map((a) => a.entityId)).toContain("vstrecha");
    await expect(asOwner().settings.deleteStage({ key: "vstrecha" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a manager or a salesperson may neither read nor change the pipeline", async () => {
    const before = await rowsOf(T.tenantId);
    for (const caller of [callerFor(manager, T.tenantId, "manager"), callerFor(sales, T.tenantId, "sales")]) {
      await expect(caller.settings.stages()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.settings.createStage({ labels: { ru: "Чужой" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.settings.updateStage({ key: "new", labels: { ru: "Чужой" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.settings.reorderStages({ keys: before.filter((r) => !r.terminal).map((r) => r.key).reverse() })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.settings.deleteStage({ key: "peregovory" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect(await rowsOf(T.tenantId)).toEqual(before);
  });

  it("leaves another tenant's pipeline alone, and cannot reach its stages", async () => {
    const theirs = await asOwner(other).settings.createStage({ labels: { ru: "Только у них" } });
    expect(theirs.key).toBe("tolko_u_nikh");
    await expect(asOwner().settings.updateStage({ key: theirs.key, color: "rose" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asOwner().settings.deleteStage({ key: theirs.key })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const rows = await rowsOf(other.tenantId);
    expect(rows.map((r) => r.key)).toEqual(["new", "in_progress", "qualified", "tolko_u_nikh", "won", "lost", "junk"]);
    for (const s of DEFAULT_STAGES) {
      expect(rows.find((r) => r.key === s.key)).toMatchObject({ labels: s.labels, color: s.color, bitrixStatusId: s.bitrixStatusId });
    }
    expect(await withTenant(other.tenantId, (tx) => tx.select().from(auditLog).where(like(auditLog.action, "pipeline.%")))).toHaveLength(1);
    expect((await asOwner().settings.stages()).map((s) => s.key)).not.toContain(theirs.key);
  });
});
