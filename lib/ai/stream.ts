import "server-only";
import { streamText } from "ai";
import { languageModel } from "./providers";
import { systemPrompt, userPrompt } from "./prompts";
import type { PromptLead } from "./offline/language-model";

/**
 * A summary or a reply draft streamed to the browser as plain text (the model's words appear as
 * they come; the page renders them as text, never HTML). `onFinish` gets the whole text.
 */
export function streamLeadText(task: "summary" | "reply", prompt: PromptLead, onFinish?: (text: string) => Promise<void>): Response {
  const result = streamText({
    model: languageModel(),
    system: systemPrompt(task),
    prompt: userPrompt(prompt),
    maxOutputTokens: 600,
    abortSignal: AbortSignal.timeout(30_000),
    onFinish: onFinish ? async ({ text }) => onFinish(text.trim()) : undefined,
  });
  return result.toTextStreamResponse({ headers: { "cache-control": "no-store", "x-content-type-options": "nosniff" } });
}
