// The offline categoriser: naive Bayes over the lead's words and field features, trained on the
// shipped corpus plus the tenant's own corrections (a person's category wins and teaches).
import { predictNb, trainNb, type Example, type NbModel } from "./bayes";
import { readCorpus, type LabelledLead } from "./corpus";
import { featuresOf, type LeadInput } from "./features";
import type { Lang } from "./text";

export type Categorisation = { category: string; confidence: number; lang: Lang; alternatives: { category: string; p: number }[] };

export function examplesOf(leads: LabelledLead[]): Example[] {
  return leads.map((l) => ({ label: l.category, features: featuresOf(l).features }));
}

/** Train on labelled leads (the corpus, and corrections — which count a few times: a person said so). */
export function trainCategoriser(corpus: LabelledLead[], corrections: LabelledLead[] = [], categories?: string[]): NbModel {
  const examples = [...examplesOf(corpus), ...examplesOf(corrections).flatMap((e) => [e, e, e])];
  return trainNb(examples, { classes: categories });
}

let base: NbModel | null = null;
/** The model of the shipped corpus, trained once per process (a few milliseconds). */
export function baseCategoriser(): NbModel {
  return (base ??= trainCategoriser(readCorpus("train")));
}

/**
 * A lead's category among the tenant's (a class the tenant does not use is dropped and the rest
 * renormalised), with the model's confidence and runners-up.
 */
export function categorise(model: NbModel, lead: LeadInput, categories?: string[]): Categorisation {
  const { features, lang } = featuresOf(lead);
  let ranked = predictNb(model, features);
  if (categories?.length) {
    const allowed = ranked.filter((r) => categories.includes(r.label));
    const sum = allowed.reduce((n, r) => n + r.p, 0) || 1;
    ranked = allowed.length ? allowed.map((r) => ({ ...r, p: r.p / sum })) : [{ label: categories.includes("other") ? "other" : categories[0]!, p: 1 }];
  }
  const top = ranked[0]!;
  return { category: top.label, confidence: top.p, lang, alternatives: ranked.slice(1, 3).map((r) => ({ category: r.label, p: r.p })) };
}
