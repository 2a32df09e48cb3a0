// Shared by the benchmarks: repeated timing and percentiles.
import { performance } from "node:perf_hooks";

export const RUNS = Number(process.env.BENCH_RUNS || 30);
export const WARMUP = 5;

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** `fn` timed RUNS times after WARMUP warm-ups, in milliseconds. */
export async function time(fn: () => Promise<unknown>, runs = RUNS): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}
