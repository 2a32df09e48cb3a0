import "server-only";
import { asc } from "drizzle-orm";
import { DEFAULT_STAGES, pipelineStages, type Locale } from "@/db/schema";
import type { Tx } from "@/db/tenant";


export async function createDefaultStages(tx: Tx, tenantId: string): Promise<void> {
  await tx.insert(pipelineStages).values(DEFAULT_STAGES.map((s, position) => ({ ...s, labels: { ...s.labels }, tenantId, position })));
}

export type Stage = { key: string; label: string; terminal: boolean; color: string; position: number };

export async function findStages(tx: Tx, locale: Locale): Promise<Stage[]> {
  const rows = await tx.select().from(pipelineStages).orderBy(asc(pipelineStages.position));
  return rows.map((r) => ({
    key: r.key,
    label: r.labels[locale] ?? r.labels.ru ?? r.labels.en ?? r.key,
    terminal: r.terminal,
    color: r.color,
    position: r.position,
  }));
}
