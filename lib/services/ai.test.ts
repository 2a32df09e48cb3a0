// The AI job flow: the offline model end to end, a remote model stood in by the AI SDK's
// MockLanguageModelV4 (answers, garbage, failures and the last attempt), corrections kept, and
// the tenant's scoring model retrained from closed leads.
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { MockLanguageModelV4 } from "ai/test";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { aiModels, leadEvents, leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { setModelForTests } from "@/lib/ai/providers";
import { callerFor } from "@/test/caller";
import { makeTenant } from "@/test/factories";
import { trainTenantScoring } from "./ai";

afterAll(() => closeDb());
afterEach(() => setModelForTests(null));

const helpers = (attempts = 1, max = 3) => ({ logger: { debug() {}, info() {}, warn() {}, error() {} }, job: { id: "1", attempts, max_attempts: max }, addJob: async () => ({}) }) as never;

async function putLead(tenantId: string, fields: Partial<typeof leads.$inferInsert> = {}) {
  const id = randomUUID();
  await withTenant(tenantId, (tx) => tx.insert(leads).values({ id, tenantId, channel: "web", email: `${id.slice(0, 8)}@romashka-corp.ru`, name: "Иван", ...fields }));
  return id;
}

async function analyse(tenantId: string, leadId: string, attempts = 1) {
  const { taskList } = await import("@/lib/jobs/index");
  await taskList()["ai:analyse"]!({ tenantId, leadId }, helpers(attempts));
  const [row] = await withTenant(tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, leadId)));
  return row!;
}

const answer = (text: string) => ({
  content: [{ type: "text" as const, text }],
  finishReason: { unified: "stop" as const, raw: "stop" },
  usage: { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 10, text: 10, reasoning: 0 } },
  warnings: [],
});

describe("AI analysis job", () => {
  it("offline: categorises, extracts, scores and summarises a new lead; the timeline says so", async () => {
    const t = await makeTenant("ai-off");
    const id = await putLead(t.tenantId, { message: "Нужен интернет-магазин с интеграцией 1С и оплатой картой. Бюджет 400 тыс, запуск до 1 марта.", phone: "+79161234567" });
    const row = await analyse(t.tenantId, id);
    expect(row).toMatchObject({ aiStatus: "done", aiCategory: "web_development" });
    expect(row.aiScore).toBeGreaterThan(60);
    expect(row.aiSummary).toContain("разработку сайта");
    expect(row.aiExtracted).toMatchObject({ budget: { amount: 400_000, currency: "RUB" }, language: "ru" });
    const events = await withTenant(t.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.map((e) => e.type)).toContain("ai");
    // The contract's Lead shows it.
    const lead = await callerFor({ userId: t.ownerUserId }, t.tenantId, "owner").leads.get({ id });
    expect(lead.ai).toMatchObject({ status: "done", category: "web_development" });
  });

  it("a person's category is kept: the model neither overwrites it nor is asked for one", async () => {
    const t = await makeTenant("ai-corr");
    const id = await putLead(t.tenantId, { message: "Нужен интернет-магазин с интеграцией 1С" });
    await callerFor({ userId: t.ownerUserId }, t.tenantId, "owner").leads.setCategory({ id, category: "other" });
    const row = await analyse(t.tenantId, id);
    expect(row).toMatchObject({ aiStatus: "done", aiCategory: "other" });
    expect(row.aiCategoryCorrectedAt).not.toBeNull();
  });

  it("the tenant's corrections teach the offline model for its next leads", async () => {
    const t = await makeTenant("ai-teach");
    const owner = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    const text = "Нужен чат-бот в Telegram для записи клиентов на маникюр";
    const before = await analyse(t.tenantId, await putLead(t.tenantId, { message: text }));
    const target = before.aiCategory === "support" ? "other" : "support";
    for (let i = 0; i < 3; i++) await owner.leads.setCategory({ id: await putLead(t.tenantId, { message: text }), category: target });
    const after = await analyse(t.tenantId, await putLead(t.tenantId, { message: text }));
    expect(after.aiCategory).toBe(target);
    // Another tenant's model is untouched by them.
    const other = await makeTenant("ai-teach-2");
    expect((await analyse(other.tenantId, await putLead(other.tenantId, { message: text }))).aiCategory).toBe(before.aiCategory);
  });

  it("a remote model's answers are validated: JSON in prose is read, an unknown category becomes other", async () => {
    const t = await makeTenant("ai-mock");
    const model = new MockLanguageModelV4({
      doGenerate: async (opts) => {
        const system = JSON.stringify(opts.prompt[0]);
        if (system.includes("[task:categorise]")) return answer('Sure! Here you go: {"category": "astrology", "confidence": 0.9, "language": "ru"}');
        if (system.includes("[task:extract]")) return answer('```json\n{"company": null, "website": null, "budget": null, "urgency": "normal"}\n```');
        if (system.includes("[task:score]")) return answer('{"score": 55, "reasons": ["asks for a price"]}');
        return answer("Клиент спрашивает о стоимости.");
      },
    });
    setModelForTests(model);
    const id = await putLead(t.tenantId, { message: "Сколько стоит?" });
    const row = await analyse(t.tenantId, id);
    expect(row).toMatchObject({ aiStatus: "done", aiCategory: "other", aiSummary: "Клиент спрашивает о стоимости." });
    // The lead's text reached the model only inside the delimited user message.
    const call = model.doGenerateCalls[0]!;
    expect(JSON.stringify(call.prompt[0])).not.toContain("Сколько стоит");
    expect(JSON.stringify(call.prompt[1])).toContain("<lead>");
  });

  it("a failing model: retried by the queue, and the last attempt leaves ai.status failed", async () => {
    const t = await makeTenant("ai-fail");
    setModelForTests(new MockLanguageModelV4({ doGenerate: async () => answer("I cannot help with that.") }));
    const id = await putLead(t.tenantId, { message: "Нужен сайт" });
    const { taskList } = await import("@/lib/jobs/index");
    await expect(taskList()["ai:analyse"]!({ tenantId: t.tenantId, leadId: id }, helpers(1, 3))).rejects.toThrow();
    let [row] = await withTenant(t.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id)));
    expect(row!.aiStatus).toBe("pending");
    await taskList()["ai:analyse"]!({ tenantId: t.tenantId, leadId: id }, helpers(3, 3));
    [row] = await withTenant(t.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id)));
    expect(row!.aiStatus).toBe("failed");
  });

  it("the scoring model is retrained from the tenant's closed leads", async () => {
    const t = await makeTenant("ai-train");
    const owner = callerFor({ userId: t.ownerUserId }, t.tenantId, "owner");
    for (let i = 0; i < 6; i++) {
      const id = await putLead(t.tenantId, { utmSource: i % 2 ? "google" : "vk", message: "Нужен сайт" });
      await owner.leads.setStatus({ id, status: i % 2 ? "won" : "lost" });
    }
    expect(await withTenant(t.tenantId, (tx) => trainTenantScoring(tx, t.tenantId))).toBe(6);
    const [m] = await withTenant(t.tenantId, (tx) => tx.select().from(aiModels).where(eq(aiModels.tenantId, t.tenantId)));
    expect(m).toMatchObject({ kind: "scoring", examples: 6 });
    expect((m!.model as { counts: Record<string, number[]> }).counts["source=google"]).toEqual([3, 0]);
  });
});
