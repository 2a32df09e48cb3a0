import "server-only";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { env } from "@/lib/env";
import { createOfflineModel } from "./offline/language-model";

// The one place that picks the model: OpenAI with OPENAI_API_KEY; any OpenAI-compatible server
// (Ollama, vLLM, LM Studio, gateways) with OPENAI_BASE_URL, spoken to over Chat Completions; and,
// with neither, the built-in offline model behind the same AI SDK interface.

export type ProviderKind = "openai" | "compatible" | "offline";
export type ProviderInfo = { kind: ProviderKind; model: string; baseUrl: string | null };

export function activeProvider(): ProviderInfo {
  if (env.OPENAI_BASE_URL) return { kind: "compatible", model: env.AI_MODEL, baseUrl: env.OPENAI_BASE_URL };
  if (env.OPENAI_API_KEY) return { kind: "openai", model: env.AI_MODEL, baseUrl: null };
  return { kind: "offline", model: "leadflow-offline-nb-1", baseUrl: null };
}

let offline: LanguageModelV4 | null = null;
let forTests: LanguageModelV4 | null = null;

/** Tests only: answer with this model (the AI SDK's MockLanguageModelV4), or null to go back. */
export function setModelForTests(model: LanguageModelV4 | null): void {
  forTests = model;
}

export function languageModel(): LanguageModelV4 {
  if (forTests) return forTests;
  const p = activeProvider();
  if (p.kind === "offline") return (offline ??= createOfflineModel());
  const openai = createOpenAI({ apiKey: env.OPENAI_API_KEY ?? "not-needed", ...(p.baseUrl ? { baseURL: p.baseUrl } : {}) });
  return openai.chat(p.model);
}
