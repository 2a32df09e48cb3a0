import "server-only";
import { generateText } from "ai";
import { z } from "zod";
import { zText } from "@/lib/validators/common";
import { languageModel } from "./providers";
import { systemPrompt, userPrompt } from "./prompts";
import type { LeadflowOptions, PromptLead, Task } from "./offline/language-model";

// Each AI task: the prompt, one model call through the AI SDK (whichever provider is active), and a
// zod schema its answer must pass. A model that wraps JSON in prose or a code fence is read by
// taking the first {...} block (servers without structured output); anything else is a failure.

export const ZCategorised = z.object({ category: zText().min(1).max(40), confidence: z.number().min(0).max(1).optional(), language: z.enum(["ru", "en"]).optional() });
export const ZExtracted = z.object({
  company: zText().max(200).nullish(),
  website: zText().max(300).nullish(),
  service: zText().max(100).nullish(),
  budget: z.object({ amount: z.number().nonnegative(), currency: z.enum(["RUB", "USD", "EUR"]) }).nullish(),
  deadline: zText().max(100).nullish(),
  urgency: z.enum(["high", "normal"]).nullish(),
  preferredChannel: z.enum(["telegram", "whatsapp", "phone", "email"]).nullish(),
  city: zText().max(100).nullish(),
});
export const ZScored = z.object({ score: z.number().int().min(0).max(100), reasons: z.array(zText().max(200)).max(8).default([]) });

const SCHEMAS = { categorise: ZCategorised, extract: ZExtracted, score: ZScored } as const;
type Structured = keyof typeof SCHEMAS;

/** The first JSON object in a model's answer. */
export function jsonIn(text: string): unknown {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end < start) throw new Error("the model's answer holds no JSON object");
  return JSON.parse(text.slice(start, end + 1));
}

export type TaskLimits = { timeoutMs: number; maxOutputTokens: number };
export const DEFAULT_LIMITS: TaskLimits = { timeoutMs: 20_000, maxOutputTokens: 400 };

export async function runTask<T extends Structured>(task: T, lead: PromptLead, limits = DEFAULT_LIMITS, leadflow?: LeadflowOptions): Promise<z.output<(typeof SCHEMAS)[T]>> {
  const r = await generateText({
    // The tenant's corrections, for the offline model (remote providers ignore other providers' options).
    ...(leadflow ? { providerOptions: { leadflow: leadflow as never } } : {}),
    model: languageModel(),
    system: systemPrompt(task),
    prompt: userPrompt(lead),
    maxOutputTokens: limits.maxOutputTokens,
    temperature: 0,
    abortSignal: AbortSignal.timeout(limits.timeoutMs),
    maxRetries: 1,
  });
  return SCHEMAS[task].parse(jsonIn(r.text)) as z.output<(typeof SCHEMAS)[T]>;
}

/** A plain-text task (summary, reply draft), whole. */
export async function runTextTask(task: Extract<Task, "summary" | "reply">, lead: PromptLead, limits = DEFAULT_LIMITS): Promise<string> {
  const r = await generateText({ model: languageModel(), system: systemPrompt(task), prompt: userPrompt(lead), maxOutputTokens: limits.maxOutputTokens, abortSignal: AbortSignal.timeout(limits.timeoutMs), maxRetries: 1 });
  return r.text.trim().slice(0, 2000);
}
