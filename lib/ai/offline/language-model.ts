// The built-in offline model behind the AI SDK's language-model interface (LanguageModelV4), so
// every caller — generateText, streamText, structured output — takes the same code path whichever
// provider is active. It reads the task from the system message (`[task:categorise]`, …) and the
// lead from the JSON between <lead> and </lead> in the user message: the lead's text is data for
// the classifier and a quotation in the summary, never an instruction.
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import { categorise, baseCategoriser, trainCategoriser } from "./categorise";
import { readCorpus, type LabelledLead } from "./corpus";
import type { NbModel } from "./bayes";
import { replyDraft, summarise } from "./compose";
import { extractFacts } from "./extract";
import type { LeadInput } from "./features";
import { budgetRub, score, type ScoringModel } from "./scoring";
import { detectLang, plainText, type Lang } from "./text";

export const TASKS = ["categorise", "extract", "score", "summary", "reply"] as const;
export type Task = (typeof TASKS)[number];

/** What the prompt carries about the lead (lib/ai/prompts.ts writes it; the offline model reads it back). */
export type PromptLead = LeadInput & {
  categories?: string[];
  category?: string | null;
  channel?: string | null;
  siteId?: string | null;
  createdAt?: string;
  /** The language to write in (summary: the UI's; reply: the lead's, when known). */
  writeIn?: Lang;
  agency?: string;
};

function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((p) => (p && typeof p === "object" && "text" in p ? String((p as { text: unknown }).text) : "")).join("");
  return "";
}

/** A tenant's corrections, passed as `providerOptions.leadflow` (other providers ignore it). */
export type LeadflowOptions = { tenantKey?: string; corrections?: { text: string; form?: string | null; category: string }[] };

const tenantModels = new Map<string, NbModel>();
/** The corpus plus a tenant's corrections (cached by the corrections' version; a few tenants at a time). */
function categoriserFor(opts: LeadflowOptions | undefined): NbModel {
  if (!opts?.tenantKey || !opts.corrections?.length) return baseCategoriser();
  let m = tenantModels.get(opts.tenantKey);
  if (!m) {
    const corrections: LabelledLead[] = opts.corrections.map((c) => ({ text: c.text, form: c.form, category: c.category, lang: "ru" }));
    m = trainCategoriser(readCorpus("train"), corrections);
    if (tenantModels.size >= 20) tenantModels.delete(tenantModels.keys().next().value!);
    tenantModels.set(opts.tenantKey, m);
  }
  return m;
}

export function readPrompt(options: LanguageModelV4CallOptions): { task: Task; lead: PromptLead; leadflow?: LeadflowOptions } {
  const system = options.prompt.filter((m) => m.role === "system").map((m) => textOf(m.content)).join("\n");
  const user = options.prompt.filter((m) => m.role === "user").map((m) => textOf(m.content)).join("\n");
  const task = TASKS.find((t) => system.includes(`[task:${t}]`));
  if (!task) throw new Error("offline model: the system message names no task");
  // The last <lead>…</lead> block: a lead that contains "</lead>" in its own text is JSON-escaped by the writer.
  const start = user.lastIndexOf("<lead>");
  const end = user.lastIndexOf("</lead>");
  if (start < 0 || end < start) throw new Error("offline model: no <lead> block in the user message");
  return { task, lead: JSON.parse(user.slice(start + 6, end)) as PromptLead, leadflow: options.providerOptions?.leadflow as LeadflowOptions | undefined };
}

/** Run one task on a lead, offline. Returns the JSON (structured tasks) or the text (summary, reply). */
export function runOffline(task: Task, lead: PromptLead, scoring: ScoringModel | null = null, model: NbModel = baseCategoriser()): string {
  const text = plainText(lead.text ?? "");
  const now = lead.createdAt ? new Date(lead.createdAt) : new Date();
  const facts = extractFacts(text, now);
  const categories = lead.categories?.length ? lead.categories : undefined;
  const category = () => lead.category ?? categorise(model, { ...lead, text }, categories).category;
  switch (task) {
    case "categorise": {
      const c = categorise(model, { ...lead, text }, categories);
      return JSON.stringify({ category: c.category, confidence: Math.round(c.confidence * 1000) / 1000, language: c.lang });
    }
    case "extract":
      return JSON.stringify({
        company: lead.company ?? null,
        website: facts.website,
        service: category(),
        budget: facts.budget ? { amount: facts.budget.amount, currency: facts.budget.currency } : null,
        deadline: facts.deadline?.date ?? facts.deadline?.text ?? null,
        urgency: facts.urgency,
        preferredChannel: facts.preferredChannel,
        city: facts.city,
      });
    case "score": {
      // The judgement of the lead itself; the service blends in the tenant's history (as for any model).
      const s = score(scoring, { ...lead, text, category: category(), budgetRub: budgetRub(facts.budget) }, facts);
      return JSON.stringify({ score: s.score, reasons: s.reasons });
    }
    case "summary":
      return summarise({ name: lead.name, company: lead.company, text, category: category(), facts }, lead.writeIn ?? detectLang(text));
    case "reply":
      return replyDraft({ name: lead.name, company: lead.company, text, category: category(), facts }, lead.writeIn ?? detectLang(text), lead.agency);
  }
}

const usage = (input: string, output: string): LanguageModelV4Usage => ({
  inputTokens: { total: Math.ceil(input.length / 4), noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: Math.ceil(output.length / 4), text: Math.ceil(output.length / 4), reasoning: undefined },
});

/** Words in small groups, as a remote model's tokens would arrive. */
function chunks(text: string): string[] {
  const parts = text.match(/\S+\s*/g) ?? [text];
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 3) out.push(parts.slice(i, i + 3).join(""));
  return out;
}

export function createOfflineModel(opts: { scoring?: () => ScoringModel | null; chunkDelayMs?: number } = {}): LanguageModelV4 {
  const delay = opts.chunkDelayMs ?? 12;
  return {
    specificationVersion: "v4",
    provider: "leadflow-offline",
    modelId: "leadflow-offline-nb-1",
    supportedUrls: {},
    async doGenerate(options) {
      const { task, lead, leadflow } = readPrompt(options);
      const text = runOffline(task, lead, opts.scoring?.() ?? null, categoriserFor(leadflow));
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(JSON.stringify(lead), text),
        warnings: [],
      };
    },
    async doStream(options) {
      const { task, lead, leadflow } = readPrompt(options);
      const text = runOffline(task, lead, opts.scoring?.() ?? null, categoriserFor(leadflow));
      const parts = chunks(text);
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          controller.enqueue({ type: "text-start", id: "0" });
          for (const delta of parts) {
            if (options.abortSignal?.aborted) break;
            controller.enqueue({ type: "text-delta", id: "0", delta });
            if (delay) await new Promise((r) => setTimeout(r, delay));
          }
          controller.enqueue({ type: "text-end", id: "0" });
          controller.enqueue({ type: "finish", finishReason: { unified: "stop", raw: "stop" }, usage: usage(JSON.stringify(lead), text) });
          controller.close();
        },
      });
      return { stream };
    },
  };
}
