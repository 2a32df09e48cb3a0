// The labelled leads the offline categoriser learns from (lib/ai/data/train.jsonl, shipped in the
// repo) and the held-out set it is measured on (lib/ai/data/eval.jsonl, never trained on).
import { readFileSync } from "node:fs";
import path from "node:path";
import type { LeadInput } from "./features";

export type LabelledLead = LeadInput & { category: string; lang: "ru" | "en" };

const DATA_DIR = path.join(process.cwd(), "lib", "ai", "data");

export function readCorpus(file: "train" | "eval"): LabelledLead[] {
  const text = readFileSync(path.join(DATA_DIR, `${file}.jsonl`), "utf8");
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l, i) => {
      const row = JSON.parse(l) as LabelledLead;
      if (typeof row.category !== "string" || typeof row.text !== "string") throw new Error(`${file}.jsonl line ${i + 1}: category and text are required`);
      return row;
    });
}
