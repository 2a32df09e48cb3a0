// `npm run eval:ai`: how good the built-in offline model is, on data it never trained on.
//   Categorisation: trained on lib/ai/data/train.jsonl, measured on the held-out
//   lib/ai/data/eval.jsonl (written separately): accuracy and macro-F1 overall, for Russian and
//   English, per class, and the confusion matrix. Scoring: AUC on a won/lost history (synthetic:
//   the corpus' leads with channels, sources, e-mails and budgets, won with a probability that
//   depends on them, trained on 70 %, measured on the other 30 %). Latency: categorise + extract +
//   score per lead, p50/p95.
// Last line: `ai eval: macro-F1 X.XX, accuracy X.XX, AUC X.XX`.
import { performance } from "node:perf_hooks";
import { categorise, trainCategoriser } from "../lib/ai/offline/categorise";
import { readCorpus, type LabelledLead } from "../lib/ai/offline/corpus";
import { extractFacts } from "../lib/ai/offline/extract";
import { plainText } from "../lib/ai/offline/text";
import { budgetRub, score, trainScoring, type Outcome, type ScoreLead } from "../lib/ai/offline/scoring";

const CATEGORIES = ["web_development", "web_design", "advertising", "seo", "support", "partnership", "spam", "other"];

function f1Table(rows: { truth: string; guess: string }[]) {
  const per = CATEGORIES.map((c) => {
    const tp = rows.filter((r) => r.truth === c && r.guess === c).length;
    const fp = rows.filter((r) => r.truth !== c && r.guess === c).length;
    const fn = rows.filter((r) => r.truth === c && r.guess !== c).length;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { c, n: tp + fn, precision, recall, f1 };
  });
  const present = per.filter((p) => p.n > 0);
  return {
    per,
    accuracy: rows.length ? rows.filter((r) => r.truth === r.guess).length / rows.length : 0,
    macroF1: present.reduce((s, p) => s + p.f1, 0) / (present.length || 1),
  };
}

/** A seeded PRNG (mulberry32): the synthetic history is the same every run. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function auc(points: { p: number; won: boolean }[]): number {
  const pos = points.filter((x) => x.won);
  const neg = points.filter((x) => !x.won);
  let s = 0;
  for (const a of pos) for (const b of neg) s += a.p > b.p ? 1 : a.p === b.p ? 0.5 : 0;
  return pos.length && neg.length ? s / (pos.length * neg.length) : 0.5;
}

function main() {
  const train = readCorpus("train");
  const held = readCorpus("eval");
  const t0 = performance.now();
  const model = trainCategoriser(train, [], CATEGORIES);
  const trainMs = performance.now() - t0;

  const rows = held.map((l) => ({ truth: l.category, guess: categorise(model, l, CATEGORIES).category, lang: l.lang }));
  const all = f1Table(rows);
  const ru = f1Table(rows.filter((r) => r.lang === "ru"));
  const en = f1Table(rows.filter((r) => r.lang === "en"));

  console.log(`Offline model (naive Bayes over stemmed words + field features), trained on ${train.length} leads in ${trainMs.toFixed(0)} ms; held-out set: ${held.length} leads.\n`);
  console.log(`categorisation   accuracy  macro-F1`);
  for (const [name, t, n] of [["all", all, rows.length], ["ru", ru, rows.filter((r) => r.lang === "ru").length], ["en", en, rows.filter((r) => r.lang === "en").length]] as const) {
    console.log(`${`${name} (${n})`.padEnd(16)} ${t.accuracy.toFixed(3).padStart(8)}  ${t.macroF1.toFixed(3).padStart(8)}`);
  }
  console.log(`\n${"class".padEnd(16)} ${"n".padStart(4)} ${"prec".padStart(6)} ${"recall".padStart(6)} ${"F1".padStart(6)}`);
  for (const p of all.per) console.log(`${p.c.padEnd(16)} ${String(p.n).padStart(4)} ${p.precision.toFixed(2).padStart(6)} ${p.recall.toFixed(2).padStart(6)} ${p.f1.toFixed(2).padStart(6)}`);
  const short = (c: string) => c.slice(0, 7);
  console.log(`\nconfusion (rows: truth, columns: guess)\n${"".padEnd(16)}${CATEGORIES.map((c) => short(c).padStart(8)).join("")}`);
  for (const t of CATEGORIES) console.log(`${t.padEnd(16)}${CATEGORIES.map((g) => String(rows.filter((r) => r.truth === t && r.guess === g).length).padStart(8)).join("")}`);

  // Scoring on a synthetic won/lost history drawn from the corpus.
  const rand = rng(42);
  const channels = ["web", "web", "web", "email", "telegram", "api"];
  const sources = ["yandex", "google", "vk", "telegram", null];
  const hidden: Record<string, number> = { web_development: 0.35, advertising: 0.3, seo: 0.25, web_design: 0.25, support: 0.15, other: 0.05, partnership: 0.02, spam: 0 };
  const history: (Outcome & { facts: ReturnType<typeof extractFacts> })[] = [];
  for (let i = 0; i < 3000; i++) {
    const base: LabelledLead = train[Math.floor(rand() * train.length)]!;
    const text = plainText(base.text ?? "");
    const facts = extractFacts(text);
    const lead: ScoreLead = {
      ...base,
      text,
      channel: channels[Math.floor(rand() * channels.length)]!,
      utm_source: sources[Math.floor(rand() * sources.length)],
      email: rand() < 0.4 ? "ceo@company-example.ru" : "someone@mail.ru",
      budgetRub: budgetRub(facts.budget) ?? (rand() < 0.3 ? 100_000 + Math.floor(rand() * 900_000) : null),
      category: base.category,
    };
    let p = hidden[base.category] ?? 0.1;
    if (lead.utm_source === "google") p += 0.12;
    if (lead.utm_source === "vk") p -= 0.08;
    if (lead.email?.endsWith("company-example.ru")) p += 0.1;
    if (lead.budgetRub && lead.budgetRub > 300_000) p += 0.1;
    history.push({ lead, won: rand() < Math.max(0, Math.min(0.95, p)), facts });
  }
  const cut = Math.floor(history.length * 0.7);
  const scoring = trainScoring(history.slice(0, cut));
  const test = history.slice(cut).map((h) => ({ p: score(scoring, h.lead, h.facts).score, won: h.won }));
  const aucValue = auc(test);
  console.log(`\nscoring: AUC ${aucValue.toFixed(3)} on ${test.length} held-out closed leads (trained on ${cut}; synthetic history)`);

  // Latency of the per-lead work (categorise + extract + score), p50/p95 over the held-out leads ×5.
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    for (const l of held) {
      const s = performance.now();
      const c = categorise(model, l, CATEGORIES);
      const facts = extractFacts(plainText(l.text ?? ""));
      score(scoring, { ...l, category: c.category, budgetRub: budgetRub(facts.budget) }, facts);
      times.push(performance.now() - s);
    }
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  console.log(`latency per lead (categorise + extract + score): p50 ${pct(50).toFixed(2)} ms, p95 ${pct(95).toFixed(2)} ms\n`);
  console.log(`ai eval: macro-F1 ${all.macroF1.toFixed(2)}, accuracy ${all.accuracy.toFixed(2)}, AUC ${aucValue.toFixed(2)}`);
}

main();
