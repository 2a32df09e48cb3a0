// Multinomial naive Bayes over binary features (a word counts once per lead: short texts do not
// let a repeated word dominate), with additive (Lidstone) smoothing. Training is one pass and
// deterministic (classes and features in sorted order); the model is plain data (JSON-safe).

export type NbModel = {
  classes: string[];
  /** log P(class) */
  logPrior: number[];
  /** feature → log P(feature | class) per class */
  logLikelihood: Record<string, number[]>;
  /** log P(unseen feature | class) per class */
  logUnseen: number[];
  alpha: number;
};

export type Example = { label: string; features: string[] };

export function trainNb(examples: Example[], opts: { alpha?: number; classes?: string[] } = {}): NbModel {
  const alpha = opts.alpha ?? 0.3;
  const classes = [...new Set([...(opts.classes ?? []), ...examples.map((e) => e.label)])].sort();
  const idx = new Map(classes.map((c, i) => [c, i]));
  const docs = classes.map(() => 0);
  const totals = classes.map(() => 0);
  const counts = new Map<string, number[]>();
  for (const e of examples) {
    const c = idx.get(e.label)!;
    docs[c]! += 1;
    for (const f of new Set(e.features)) {
      let row = counts.get(f);
      if (!row) counts.set(f, (row = classes.map(() => 0)));
      row[c]! += 1;
      totals[c]! += 1;
    }
  }
  const vocab = counts.size;
  const n = examples.length;
  const logLikelihood: Record<string, number[]> = {};
  for (const f of [...counts.keys()].sort()) {
    const row = counts.get(f)!;
    logLikelihood[f] = row.map((k, c) => Math.log((k + alpha) / (totals[c]! + alpha * vocab)));
  }
  return {
    classes,
    // Smoothed priors, so a class without examples is possible but unlikely.
    logPrior: docs.map((d) => Math.log((d + 1) / (n + classes.length))),
    logLikelihood,
    logUnseen: totals.map((t) => Math.log(alpha / (t + alpha * vocab))),
    alpha,
  };
}

/** P(class | features) for every class, highest first. Unknown features carry no evidence. */
export function predictNb(model: NbModel, features: string[]): { label: string; p: number }[] {
  const scores = model.logPrior.slice();
  for (const f of new Set(features)) {
    const row = model.logLikelihood[f];
    if (!row) continue;
    for (let c = 0; c < scores.length; c++) scores[c]! += row[c]!;
  }
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return model.classes.map((label, c) => ({ label, p: exp[c]! / sum })).sort((a, b) => b.p - a.p || a.label.localeCompare(b.label));
}
