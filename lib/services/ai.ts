import "server-only";
import { queueBitrix24 } from "@/lib/services/bitrix24-queue";
import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { aiModels, leadEvents, leads, tenants, DEFAULT_TENANT_SETTINGS } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import type { LeadflowOptions, PromptLead } from "@/lib/ai/offline/language-model";
import { emailKind } from "@/lib/ai/offline/features";
import { blend, budgetRub, trainScoring, type Outcome, type ScoringModel } from "@/lib/ai/offline/scoring";
import { runTask, runTextTask } from "@/lib/ai/tasks";
import { enqueue } from "@/lib/jobs/enqueue";
import { aiAnalyseRef, AI_MAX_ATTEMPTS } from "@/lib/jobs/refs";
import { getLeadDto, type Viewer } from "./leads";

// The AI analysis of a lead: read it (a tenant transaction), ask the active model for each task
// (no transaction held open while a remote model thinks), write the results (another one). A
// person's category correction is never overwritten; scoring blends the model's judgement with the
// tenant's own won/lost history (`ai_models`, retrained by `ai:train`).

export type AnalysisInput = { prompt: PromptLead; corrected: boolean; scoring: ScoringModel | null; leadflow?: LeadflowOptions };

type LeadRow = typeof leads.$inferSelect;

/** What the model may see of a lead: its own fields, the tenant's categories, language and name — nothing else. */
async function promptOf(tx: Tx, tenantId: string, row: LeadRow): Promise<{ prompt: PromptLead; scoring: ScoringModel | null }> {
  const [tenant] = await tx.select({ name: tenants.name, locale: tenants.locale, settings: tenants.settings }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  const [model] = await tx.select({ model: aiModels.model }).from(aiModels).where(and(eq(aiModels.tenantId, tenantId), eq(aiModels.kind, "scoring"))).limit(1);
  return {
    scoring: (model?.model as ScoringModel | undefined) ?? null,
    prompt: {
      text: row.message,
      form: row.form,
      name: row.name,
      email: row.email,
      phone: row.phone,
      company: row.company,
      utm_source: row.utmSource,
      utm_medium: row.utmMedium,
      utm_campaign: row.utmCampaign,
      pageUrl: row.pageUrl,
      channel: row.channel,
      siteId: row.siteId,
      createdAt: row.createdAt.toISOString(),
      categories: tenant?.settings.aiCategories ?? DEFAULT_TENANT_SETTINGS.aiCategories,
      category: row.aiCategory,
      writeIn: tenant?.locale ?? "ru",
      agency: tenant?.name,
    },
  };
}

/** The job's read: the lead's prompt, marked pending. */
export async function readForAnalysis(tx: Tx, tenantId: string, leadId: string): Promise<AnalysisInput | null> {
  const [row] = await tx.select().from(leads).where(eq(leads.id, leadId)).limit(1);
  if (!row) return null;
  const { prompt, scoring } = await promptOf(tx, tenantId, row);
  await tx.update(leads).set({ aiStatus: "pending" }).where(and(eq(leads.id, leadId), sql`${leads.aiStatus} is distinct from 'pending'`));
  const corrected = row.aiCategoryCorrectedAt !== null;
  // The tenant's corrections teach the offline model (the newest 300).
  const fixes = await tx
    .select({ text: leads.message, form: leads.form, category: leads.aiCategory, at: leads.aiCategoryCorrectedAt })
    .from(leads)
    .where(and(isNotNull(leads.aiCategoryCorrectedAt), isNotNull(leads.aiCategory)))
    .orderBy(desc(leads.aiCategoryCorrectedAt))
    .limit(300);
  const leadflow: LeadflowOptions | undefined = fixes.length
    ? { tenantKey: `${tenantId}:${fixes.length}:${fixes[0]!.at!.toISOString()}`, corrections: fixes.map((f) => ({ text: f.text ?? "", form: f.form, category: f.category! })) }
    : undefined;
  return { corrected, scoring, leadflow, prompt: { ...prompt, category: corrected ? row.aiCategory : null } };
}

/** The lead page's streams (summary, reply draft): the prompt of a lead the viewer may see, or not found. */
export async function promptForViewer(tx: Tx, tenantId: string, viewer: Viewer, leadId: string, writeIn?: "ru" | "en"): Promise<PromptLead> {
  await getLeadDto(tx, viewer, leadId); // the viewer's visibility (404 otherwise)
  const [row] = await tx.select().from(leads).where(eq(leads.id, leadId)).limit(1);
  const { prompt } = await promptOf(tx, tenantId, row!);
  return writeIn ? { ...prompt, writeIn } : prompt;
}

export async function saveSummary(tx: Tx, leadId: string, summary: string): Promise<void> {
  await tx.update(leads).set({ aiSummary: summary.slice(0, 2000), aiUpdatedAt: new Date() }).where(eq(leads.id, leadId));
}

/** "Re-run" on the lead page: queue the analysis again (the viewer must see the lead). */
export async function requestAnalysis(tx: Tx, tenantId: string, viewer: Viewer, leadId: string): Promise<void> {
  await getLeadDto(tx, viewer, leadId);
  await tx.update(leads).set({ aiStatus: "pending" }).where(eq(leads.id, leadId));
  await enqueue(tx, aiAnalyseRef, { tenantId, leadId }, { jobKey: `ai:${leadId}`, maxAttempts: AI_MAX_ATTEMPTS });
}

export type AnalysisResult = { category: string; confidence: number | null; language: string | null; score: number; reasons: string[]; facts: Record<string, unknown>; summary: string };

/** The model calls (outside any transaction). */
export async function analyse(input: AnalysisInput): Promise<AnalysisResult> {
  const p = input.prompt;
  const categories = p.categories ?? DEFAULT_TENANT_SETTINGS.aiCategories;
  const c = input.corrected && p.category ? { category: p.category, confidence: 1, language: undefined } : await runTask("categorise", p, undefined, input.leadflow);
  const category = categories.includes(c.category) ? c.category : categories.includes("other") ? "other" : categories[0]!;
  const withCategory = { ...p, category };
  const [facts, judged, summary] = await Promise.all([runTask("extract", withCategory, undefined, input.leadflow), runTask("score", withCategory, undefined, input.leadflow), runTextTask("summary", withCategory)]);
  const s = blend(judged.score, judged.reasons, input.scoring, { ...p, category, budgetRub: budgetRub(facts.budget) });
  return { category, confidence: c.confidence ?? null, language: c.language ?? null, score: s.score, reasons: s.reasons, facts, summary };
}

export async function writeAnalysis(tx: Tx, tenantId: string, leadId: string, r: AnalysisResult): Promise<void> {
  const [row] = await tx.select({ corrected: leads.aiCategoryCorrectedAt, summary: leads.aiSummary }).from(leads).where(eq(leads.id, leadId)).for("update").limit(1);
  if (!row) return;
  // Bitrix24: a lead already sent — or being sent, read before this summary — gets it as a comment
  // (not twice: the comment is skipped when it is there). A lead still waiting takes it with its add.
  if (r.summary && !row.summary) {
    const [sent] = (await tx.execute(sql`select 1 where exists (select 1 from bitrix24_links where tenant_id = ${tenantId}::uuid and lead_id = ${leadId}::uuid)
      or exists (select 1 from bitrix24_ops where tenant_id = ${tenantId}::uuid and lead_id = ${leadId}::uuid and kind = 'add' and state = 'pending' and lease_until > now())`)) as unknown as unknown[];
    if (sent) await queueBitrix24(tx, tenantId, leadId, "comment", { aiSummary: r.summary });
  }
  const now = new Date();
  await tx
    .update(leads)
    .set({
      aiStatus: "done",
      // A person's correction wins, also when it came in while the model was thinking.
      ...(row.corrected ? {} : { aiCategory: r.category }),
      aiScore: r.score,
      aiSummary: r.summary,
      // A category a person chose is certain: no "unsure" badge on it.
      aiExtracted: { ...r.facts, confidence: row.corrected ? 1 : r.confidence, language: r.language, reasons: r.reasons },
      aiUpdatedAt: now,
    })
    .where(eq(leads.id, leadId));
  await tx.insert(leadEvents).values({ tenantId, leadId, type: "ai", actorUserId: null, payload: { task: "analyse", status: "done" as const, category: r.category, score: r.score }, createdAt: now });
}

export async function markFailed(tx: Tx, leadId: string): Promise<void> {
  await tx.update(leads).set({ aiStatus: "failed", aiUpdatedAt: new Date() }).where(eq(leads.id, leadId));
}

/** Retrain the tenant's scoring model from its closed leads (won vs lost / junk), the newest 5 000. */
export async function trainTenantScoring(tx: Tx, tenantId: string): Promise<number> {
  const rows = await tx
    .select({ status: leads.status, channel: leads.channel, siteId: leads.siteId, utmSource: leads.utmSource, utmMedium: leads.utmMedium, email: leads.email, phone: leads.phone, message: leads.message, category: leads.aiCategory, extracted: leads.aiExtracted })
    .from(leads)
    .where(and(inArray(leads.status, ["won", "lost", "junk"]), eq(leads.spam, false), isNotNull(leads.closedAt)))
    .orderBy(desc(leads.closedAt))
    .limit(5000);
  const outcomes: Outcome[] = rows.map((r) => {
    const budget = (r.extracted as { budget?: { amount: number; currency: string } | null } | null)?.budget;
    return {
      won: r.status === "won",
      lead: {
        channel: r.channel,
        siteId: r.siteId,
        utm_source: r.utmSource,
        utm_medium: r.utmMedium,
        email: emailKind(r.email) === "none" ? null : r.email,
        phone: r.phone,
        text: r.message,
        category: r.category,
        budgetRub: budgetRub(budget),
      },
    };
  });
  const model = trainScoring(outcomes);
  await tx
    .insert(aiModels)
    .values({ tenantId, kind: "scoring", model: model as unknown as Record<string, unknown>, examples: outcomes.length })
    .onConflictDoUpdate({ target: [aiModels.tenantId, aiModels.kind], set: { model: model as unknown as Record<string, unknown>, examples: outcomes.length, trainedAt: new Date() } });
  return outcomes.length;
}
