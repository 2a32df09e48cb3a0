import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { auditLog, leadEvents, leads, notes } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { callerFor } from "@/test/caller";
import { makeTenant, makeUser } from "@/test/factories";

// The CRM's mutations through the procedures themselves: roles, rules and the timeline.

let T: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
let sales: Awaited<ReturnType<typeof makeUser>>;
let sales2: Awaited<ReturnType<typeof makeUser>>;
let manager: Awaited<ReturnType<typeof makeUser>>;
const lead = { mine: "", unassigned: "", theirs: "", foreign: "" };

async function insertLead(tenantId: string, fields: Partial<typeof leads.$inferInsert> = {}) {
  const id = randomUUID();
  await withTenant(tenantId, (tx) => tx.insert(leads).values({ id, tenantId, channel: "web", name: "Клиент", email: `${id}@example.ru`, emailNorm: `${id}@example.ru`, createdAt: new Date(Date.now() - 20 * 60_000), ...fields }));
  return id;
}

beforeAll(async () => {
  T = await makeTenant("crm");
  other = await makeTenant("crm-other");
  sales = await makeUser(T.slug, "sales");
  sales2 = await makeUser(T.slug, "sales");
  manager = await makeUser(T.slug, "manager");
  lead.mine = await insertLead(T.tenantId, { assigneeId: sales.userId });
  lead.unassigned = await insertLead(T.tenantId);
  lead.theirs = await insertLead(T.tenantId, { assigneeId: sales2.userId });
  lead.foreign = await insertLead(other.tenantId);
});
afterAll(() => closeDb());

const asSales = () => callerFor(sales, T.tenantId, "sales");
const asManager = () => callerFor(manager, T.tenantId, "manager");

describe("lead mutations through tRPC", () => {
  it("a status change logs the timeline and the audit log, stops the first-response timer, and keeps a loss reason", async () => {
    const updated = await asSales().leads.setStatus({ id: lead.mine, status: "lost", reason: "Дорого" });
    expect(updated.status).toBe("lost");
    expect(updated.firstResponseAt).not.toBeNull();
    const [ev] = await withTenant(T.tenantId, (tx) => tx.select().from(leadEvents).where(and(eq(leadEvents.leadId, lead.mine), eq(leadEvents.type, "status_changed"))));
    expect(ev!.payload).toEqual({ from: "new", to: "lost", reason: "Дорого" });
    expect(ev!.actorUserId).toBe(sales.userId);
    const audit = await withTenant(T.tenantId, (tx) => tx.select().from(auditLog).where(eq(auditLog.entityId, lead.mine)));
    expect(audit.map((a) => a.action)).toContain("lead.status");
    await expect(asSales().leads.setStatus({ id: lead.mine, status: "nonexistent" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a salesperson takes an unassigned lead, but cannot hand it to someone else", async () => {
    const taken = await asSales().leads.assign({ id: lead.unassigned, assigneeId: sales.userId });
    expect(taken.assignee?.email).toBe(sales.email);
    await expect(asSales().leads.assign({ id: lead.unassigned, assigneeId: sales2.userId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const back = await asSales().leads.assign({ id: lead.unassigned, assigneeId: null });
    expect(back.assignee).toBeNull();
    const byManager = await asManager().leads.assign({ id: lead.unassigned, assigneeId: sales2.userId });
    expect(byManager.assignee?.email).toBe(sales2.email);
    await expect(asManager().leads.assign({ id: lead.mine, assigneeId: other.ownerUserId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a salesperson can neither read nor change another salesperson's lead, nor another tenant's", async () => {
    for (const id of [lead.theirs, lead.foreign]) {
      await expect(asSales().leads.get({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(asSales().leads.setStatus({ id, status: "won" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(asSales().leads.assign({ id, assigneeId: sales.userId })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(asSales().leads.contacted({ id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(asSales().leads.setSpam({ id, spam: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(asSales().leads.addNote({ leadId: id, text: "x" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(asSales().leads.updateContact({ id, name: "x", email: "x@example.ru" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    await expect(asManager().leads.get({ id: lead.foreign })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const [row] = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, lead.theirs)));
    expect(row!.status).toBe("new");
    expect(await withTenant(T.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, lead.theirs)))).toEqual([]);
  });

  it("contacted stops the timer once; spam and contact edits are validated like intake and logged", async () => {
    const id = await insertLead(T.tenantId);
    const first = await asSales().leads.contacted({ id });
    expect(first.firstResponseAt).not.toBeNull();
    const again = await asSales().leads.contacted({ id });
    expect(again.firstResponseAt).toBe(first.firstResponseAt);
    expect((await asSales().leads.setSpam({ id, spam: true })).spam).toBe(true);
    const edited = await asSales().leads.updateContact({ id, name: "Пётр", email: "PETR@Example.RU", phone: "8 (916) 555-01-02", company: "ООО «Ромашка»" });
    expect(edited).toMatchObject({ name: "Пётр", email: "petr@example.ru", phone: "+79165550102", company: "ООО «Ромашка»" });
    await expect(asSales().leads.updateContact({ id, name: "x", email: "not-an-email" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(asSales().leads.updateContact({ id, name: "x\u0000" , email: "a@b.ru" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(asSales().leads.updateContact({ id, name: "без контактов" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const events = await withTenant(T.tenantId, (tx) => tx.select({ type: leadEvents.type, payload: leadEvents.payload }).from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.map((e) => e.type).sort()).toEqual(["contacted", "contacted", "spam_changed", "updated"]);
    expect(events.find((e) => e.type === "updated")!.payload).toEqual({ fields: ["name", "email", "phone", "company"] });
  });

  it("notes: add, edit and delete your own; not someone else's", async () => {
    const id = await insertLead(T.tenantId);
    const note = await asSales().leads.addNote({ leadId: id, text: "Перезвонить завтра" });
    expect(note.author?.email).toBe(sales.email);
    const edited = await asSales().leads.editNote({ noteId: note.id, text: "Перезвонить в пятницу" });
    expect(edited.text).toBe("Перезвонить в пятницу");
    await expect(asManager().leads.editNote({ noteId: note.id, text: "чужая правка" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asManager().leads.deleteNote({ noteId: note.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const detail = await asSales().leads.get({ id });
    expect(detail.notes.map((n) => n.body)).toEqual(["Перезвонить в пятницу"]);
    expect(detail.timeline.find((e) => e.type === "note")!.payload).toMatchObject({ noteId: note.id, excerpt: "Перезвонить в пятницу" });
    await asSales().leads.deleteNote({ noteId: note.id });
    const after = await asSales().leads.get({ id });
    expect(after.notes).toEqual([]);
    expect(after.timeline.map((e) => e.type)).not.toContain("note");
    expect(await withTenant(T.tenantId, (tx) => tx.select().from(notes).where(eq(notes.leadId, id)))).toEqual([]);
    await expect(asSales().leads.addNote({ leadId: id, text: "   " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("the timeline is newest first", async () => {
    const id = await insertLead(T.tenantId);
    await withTenant(T.tenantId, (tx) => tx.insert(leadEvents).values({ tenantId: T.tenantId, leadId: id, type: "created", payload: { channel: "web", siteId: null, source: null }, createdAt: new Date(Date.now() - 60_000) }));
    await asSales().leads.contacted({ id });
    const detail = await asSales().leads.get({ id });
    expect(detail.timeline.map((e) => e.type)).toEqual(["contacted", "created"]);
  });

  it("next steps: due in the tenant's time zone, done logs and clears, Today lists the viewer's overdue and today's", async () => {
    const id = await insertLead(T.tenantId, { assigneeId: sales.userId });
    // 10:00 in Moscow is 07:00 UTC.
    const step = await asSales().leads.setNextStep({ id, kind: "call", due: "2026-03-02T10:00", text: "Обсудить бюджет" });
    expect(step).toEqual({ kind: "call", dueAt: "2026-03-02T07:00:00.000Z", text: "Обсудить бюджет" });
    expect((await asSales().leads.get({ id })).nextStep).toEqual(step);
    const later = await insertLead(T.tenantId, { assigneeId: sales.userId });
    const future = new Date(Date.now() + 3 * 24 * 3600_000).toISOString().slice(0, 10);
    await asSales().leads.setNextStep({ id: later, kind: "meeting", due: `${future}T12:00` });
    const notMine = await insertLead(T.tenantId, { assigneeId: sales2.userId });
    await callerFor(sales2, T.tenantId, "sales").leads.setNextStep({ id: notMine, kind: "email", due: "2026-03-01T09:00" });

    const today = await asSales().leads.today();
    expect(today.items.map((i) => i.lead.id)).toContain(id);
    expect(today.items.map((i) => i.lead.id)).not.toContain(later); // in three days
    expect(today.items.map((i) => i.lead.id)).not.toContain(notMine);
    expect(today.items.find((i) => i.lead.id === id)!.overdue).toBe(true);
    expect(await asSales().leads.todayCount()).toBe(today.items.length);

    await asSales().leads.completeNextStep({ id });
    expect((await asSales().leads.get({ id })).nextStep).toBeNull();
    const events = await withTenant(T.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.find((e) => e.type === "next_step_done")!.payload).toEqual({ kind: "call", dueAt: "2026-03-02T07:00:00.000Z", text: "Обсудить бюджет" });
    await expect(asSales().leads.completeNextStep({ id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(asSales().leads.setNextStep({ id: lead.theirs, kind: "call", due: "2026-03-02T10:00" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asSales().leads.setNextStep({ id, kind: "call", due: "2026-13-02T10:00" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
