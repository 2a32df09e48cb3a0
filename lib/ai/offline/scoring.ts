// Lead scoring, in the spirit of Odoo's predictive lead scoring: a per-tenant naive Bayes over the
// lead's fields, learned from the tenant's own won / lost history, with additive smoothing and a
// cold-start prior until enough closed leads exist — blended with a judgement of the lead itself
// (what the model, or the offline rules, make of its budget, deadline and contacts).
import { emailKind, lengthBand, type LeadInput } from "./features";
import type { Facts } from "./extract";

export type ScoreLead = LeadInput & { channel?: string | null; siteId?: string | null; category?: string | null; budgetRub?: number | null };

/** A closed lead: its fields, and whether it was won. */
export type Outcome = { lead: ScoreLead; won: boolean };

export type ScoringModel = {
  /** Closed leads it learned from. */
  n: number;
  wonRate: number;
  /** feature → [count among won, count among lost] */
  counts: Record<string, [number, number]>;
  won: number;
  lost: number;
  /** per field, how many distinct values were seen (the smoothing's denominator) */
  values: Record<string, number>;
};

const ALPHA = 1;
/** Closed leads needed before the tenant's own history carries full weight. */
export const COLD_START = 40;
/** The prior win rate of an agency's inbound lead, before any history. */
const PRIOR_WON = 0.2;

/** Rough rouble value of a budget (the bands only need the order of magnitude). */
export function budgetRub(b: { amount: number; currency: string } | null | undefined): number | null {
  if (!b) return null;
  return b.currency === "USD" ? b.amount * 90 : b.currency === "EUR" ? b.amount * 100 : b.amount;
}

function budgetBand(rub: number | null | undefined): string {
  if (!rub) return "none";
  return rub < 50_000 ? "lt50k" : rub < 150_000 ? "50-150k" : rub < 500_000 ? "150-500k" : "500k+";
}

/** The fields scoring looks at, as field=value pairs. */
export function scoringFeatures(l: ScoreLead): string[] {
  return [
    `channel=${l.channel ?? "none"}`,
    `source=${(l.utm_source ?? "none").toLowerCase()}`,
    `medium=${(l.utm_medium ?? "none").toLowerCase()}`,
    `site=${l.siteId ?? "none"}`,
    `category=${l.category ?? "none"}`,
    `mail=${emailKind(l.email)}`,
    `phone=${l.phone ? "yes" : "no"}`,
    `length=${lengthBand(l.text ?? "")}`,
    `budget=${budgetBand(l.budgetRub)}`,
  ];
}

const field = (f: string) => f.slice(0, f.indexOf("="));

export function trainScoring(outcomes: Outcome[]): ScoringModel {
  const counts: Record<string, [number, number]> = {};
  const seen: Record<string, Set<string>> = {};
  let won = 0;
  for (const o of outcomes) {
    if (o.won) won++;
    for (const f of scoringFeatures(o.lead)) {
      const c = (counts[f] ??= [0, 0]);
      c[o.won ? 0 : 1]++;
      (seen[field(f)] ??= new Set()).add(f);
    }
  }
  const n = outcomes.length;
  return {
    n,
    won,
    lost: n - won,
    wonRate: n ? won / n : PRIOR_WON,
    counts,
    values: Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, v.size])),
  };
}

/** P(won | fields) from the tenant's history alone (naive Bayes, additive smoothing). */
export function historyProbability(m: ScoringModel, l: ScoreLead): number {
  const prior = (m.won + ALPHA) / (m.n + 2 * ALPHA);
  let logOdds = Math.log(prior / (1 - prior));
  for (const f of scoringFeatures(l)) {
    const [w, lo] = m.counts[f] ?? [0, 0];
    const k = (m.values[field(f)] ?? 0) + 1;
    logOdds += Math.log((w + ALPHA) / (m.won + ALPHA * k)) - Math.log((lo + ALPHA) / (m.lost + ALPHA * k));
  }
  return 1 / (1 + Math.exp(-logOdds));
}

const CATEGORY_WEIGHT: Record<string, number> = { web_development: 0.75, advertising: 0.7, seo: 0.65, web_design: 0.6, support: 0.45, other: 0.25, partnership: 0.1, spam: 0 };

/** The offline judgement of one lead from what it says: a kind of work the agency sells, money, a deadline, a way to reach them. */
export function judgement(l: ScoreLead, facts: Pick<Facts, "budget" | "deadline" | "urgency" | "website">): { p: number; reasons: string[] } {
  const reasons: string[] = [];
  let p = CATEGORY_WEIGHT[l.category ?? ""] ?? 0.3;
  const rub = l.budgetRub ?? budgetRub(facts.budget);
  if (rub) {
    p += rub >= 150_000 ? 0.15 : 0.08;
    reasons.push("budget");
  }
  if (facts.deadline) {
    p += 0.05;
    reasons.push("deadline");
  }
  if (facts.urgency === "high") p += 0.03;
  if (emailKind(l.email) === "corp") {
    p += 0.05;
    reasons.push("corporate_email");
  }
  if (l.phone) {
    p += 0.04;
    reasons.push("phone");
  }
  if ((l.text ?? "").length >= 150) {
    p += 0.04;
    reasons.push("detailed");
  }
  if (!l.text && !l.phone) p -= 0.1;
  return { p: Math.max(0, Math.min(1, p)), reasons };
}

export type Score = { score: number; reasons: string[]; history: number | null };

/**
 * Blend a judgement (0–100, from the active model, or the offline rules) with the tenant's history,
 * weighted by how much history there is (full weight from COLD_START closed leads on).
 */
export function blend(judgementScore: number, judgementReasons: string[], m: ScoringModel | null, l: ScoreLead): Score {
  const j = { p: Math.max(0, Math.min(100, judgementScore)) / 100, reasons: judgementReasons };
  return withHistory(j, m, l);
}

/**
 * The score, 0–100: the judgement, and the tenant's history weighted by how much of it there is
 * (full weight from COLD_START closed leads on). Reasons name what moved it most.
 */
export function score(m: ScoringModel | null, l: ScoreLead, facts: Pick<Facts, "budget" | "deadline" | "urgency" | "website">): Score {
  return withHistory(judgement(l, facts), m, l);
}

function withHistory(j: { p: number; reasons: string[] }, m: ScoringModel | null, l: ScoreLead): Score {
  if (!m || m.n === 0) return { score: Math.round(j.p * 100), reasons: j.reasons, history: null };
  const h = historyProbability(m, l);
  // Calibrate the history to the judgement's scale: relative to the tenant's own win rate.
  const lift = Math.max(0, Math.min(1, 0.5 + (h - m.wonRate)));
  const w = Math.min(1, m.n / COLD_START) * 0.6;
  const reasons = [...j.reasons];
  if (m.n >= 10) {
    // The fields that lifted (or sank) it most in this tenant's history.
    const ranked = scoringFeatures(l)
      .map((f) => {
        const [won, lost] = m.counts[f] ?? [0, 0];
        const k = (m.values[field(f)] ?? 0) + 1;
        return { f, llr: Math.log((won + ALPHA) / (m.won + ALPHA * k)) - Math.log((lost + ALPHA) / (m.lost + ALPHA * k)) };
      })
      .sort((a, b) => Math.abs(b.llr) - Math.abs(a.llr));
    for (const r of ranked.slice(0, 2)) if (Math.abs(r.llr) > 0.4) reasons.push(`${r.llr > 0 ? "history_up" : "history_down"}:${r.f}`);
  }
  return { score: Math.round(((1 - w) * j.p + w * lift) * 100), reasons, history: h };
}
