// The built-in offline model behind the AI SDK's language-model interface (LanguageModelV4), so
// every caller — generateText, streamText, structured output — takes the same code path whichever
// provider is active. It reads the task from the system message (`[task:categorise]`, …) and the
// lead from the JSON between <lead> and </lead> in the user message: the lead's text is data for
// the classifier and a quotation in the summary, never an instruction.
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart, LanguageModelV4Usage } from "@ai-sdk/provider";
import { categorise, baseCategoriser } from "./categorise";
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

export function readPrompt(options: LanguageModelV4CallOptions): { task: Task; lead: PromptLead } {
  const system = options.prompt.filter((m) => m.role === "system").map((m) => textOf(m.content)).join("\n");
  const user = options.prompt.filter((m) => m.role === "user").map((m) => textOf(m.content)).join("\n");
  const task = TASKS.find((t) => system.includes(`[task:${t}]`));
  if (!task) throw new Error("offline model: the system message names no task");
  // The last <lead>…</lead> block: a lead that contains "</lead>" in its own text is JSON-escaped by the writer.
  const start = user.lastIndexOf("<lead>");
  const end = user.lastIndexOf("</lead>");
  if (start < 0 || end < start) throw new Error("offline model: no <lead> block in the user message");
  return { task, lead: JSON.parse(user.slice(start + 6, end)) as PromptLead };
}

/** Run one task on a lead, offline. Returns the JSON (structured tasks) or the text (summary, reply). */
export function runOffline(task: Task, lead: PromptLead, scoring: ScoringModel | null = null): string {
  const text = plainText(lead.text ?? "");
  const now = lead.createdAt ? new Date(lead.createdAt) : new Date();
  const facts = extractFacts(text, now);
  const categories = lead.categories?.length ? lead.categories : undefined;
  const category = () => lead.category ?? categorise(baseCategoriser(), { ...lead, text }, categories).category;
  switch (task) {
    case "categorise": {
      const c = categorise(baseCategoriser(), { ...lead, text }, categories);
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
      const { task, lead } = readPrompt(options);
      const text = runOffline(task, lead, opts.scoring?.() ?? null);
      return {
        content: [{ type: "text", text }],
        finishReason: { unified: "stop", raw: "stop" },
        usage: usage(JSON.stringify(lead), text),
        warnings: [],
      };
    },
    async doStream(options) {
      const { task, lead } = readPrompt(options);
      const text = runOffline(task, lead, opts.scoring?.() ?? null);
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
