import { describe, expect, it } from "vitest";
import { COLD_START, historyProbability, score, trainScoring, type Outcome, type ScoreLead } from "./scoring";

const noFacts = { budget: null, deadline: null, urgency: "normal" as const, website: null };
const lead = (over: Partial<ScoreLead> = {}): ScoreLead => ({ channel: "web", utm_source: "yandex", email: "a@mail.ru", phone: null, text: "Нужен сайт", category: "web_development", ...over });

describe("lead scoring", () => {
  it("counts per field value, with additive smoothing for values never seen", () => {
    const outcomes: Outcome[] = [
      { lead: lead({ utm_source: "google" }), won: true },
      { lead: lead({ utm_source: "google" }), won: true },
      { lead: lead({ utm_source: "vk" }), won: false },
    ];
    const m = trainScoring(outcomes);
    expect(m).toMatchObject({ n: 3, won: 2, lost: 1 });
    expect(m.counts["source=google"]).toEqual([2, 0]);
    expect(m.counts["source=vk"]).toEqual([0, 1]);
    const unseen = historyProbability(m, lead({ utm_source: "telegram" }));
    expect(unseen).toBeGreaterThan(0);
    expect(unseen).toBeLessThan(1);
    expect(historyProbability(m, lead({ utm_source: "google" }))).toBeGreaterThan(historyProbability(m, lead({ utm_source: "vk" })));
  });

  it("cold start: no history means the judgement alone; a little history weighs little", () => {
    const j = score(null, lead(), noFacts);
    expect(j.history).toBeNull();
    expect(score(trainScoring([]), lead(), noFacts).score).toBe(j.score);
    const few = trainScoring([{ lead: lead(), won: false }]);
    expect(Math.abs(score(few, lead(), noFacts).score - j.score)).toBeLessThanOrEqual(Math.ceil(60 / COLD_START));
  });

  it("the judgement reads budget, deadline, contacts and the kind of work", () => {
    const rich = score(null, lead({ email: "ceo@romashka.ru", phone: "+79161234567", text: "x".repeat(200) }), { budget: { amount: 300_000, currency: "RUB", text: "300 тыс" }, deadline: { text: "до 1 марта", date: null }, urgency: "high", website: null });
    const spam = score(null, lead({ category: "spam", text: "" }), noFacts);
    expect(rich.score).toBeGreaterThan(90);
    expect(rich.reasons).toEqual(expect.arrayContaining(["budget", "deadline", "corporate_email", "phone", "detailed"]));
    expect(spam.score).toBe(0);
  });

  it("retraining on closed leads moves the score the way the tenant's history goes", () => {
    const history: Outcome[] = [];
    for (let i = 0; i < 60; i++) history.push({ lead: lead({ utm_source: i % 2 ? "google" : "vk" }), won: i % 2 === 1 });
    const m = trainScoring(history);
    const google = score(m, lead({ utm_source: "google" }), noFacts);
    const vk = score(m, lead({ utm_source: "vk" }), noFacts);
    expect(google.score).toBeGreaterThan(vk.score + 20);
    expect(google.reasons.some((r) => r === "history_up:source=google")).toBe(true);
  });
});
