import "server-only";
import { activeProvider } from "./providers";
import { runTask } from "./tasks";

/** Settings → AI "check": does the active model answer a categorisation, and how fast. */
export async function checkProvider(categories: string[]): Promise<{ ok: boolean; ms: number; category?: string; error?: string; provider: ReturnType<typeof activeProvider> }> {
  const provider = activeProvider();
  const started = Date.now();
  try {
    const r = await runTask("categorise", { text: "Здравствуйте! Нужен новый сайт для стоматологии с онлайн-записью.", categories }, { timeoutMs: 15_000, maxOutputTokens: 100 });
    return { ok: true, ms: Date.now() - started, category: r.category, provider };
  } catch (e) {
    return { ok: false, ms: Date.now() - started, error: e instanceof Error ? e.message.slice(0, 300) : "no answer", provider };
  }
}
