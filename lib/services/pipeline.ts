import "server-only";
import { asc } from "drizzle-orm";
import { pipelineStages } from "@/db/schema";
import type { Tx } from "@/db/tenant";

export const DEFAULT_STAGES = [
  { key: "new", labels: { ru: "Новая", en: "New" }, terminal: false, bitrixStatusId: "NEW", color: "blue" },
  { key: "in_progress", labels: { ru: "В работе", en: "In progress" }, terminal: false, bitrixStatusId: "IN_PROCESS", color: "amber" },
  { key: "qualified", labels: { ru: "Квалифицирована", en: "Qualified" }, terminal: false, bitrixStatusId: "PROCESSED", color: "violet" },
  { key: "won", labels: { ru: "Успешно", en: "Won" }, terminal: true, bitrixStatusId: "CONVERTED", color: "emerald" },
  { key: "lost", labels: { ru: "Проиграна", en: "Lost" }, terminal: true, bitrixStatusId: "JUNK", color: "rose" },
  { key: "junk", labels: { ru: "Мусор", en: "Junk" }, terminal: true, bitrixStatusId: "JUNK", color: "gray" },
] as const;

export async function createDefaultStages(tx: Tx, tenantId: string): Promise<void> {
  await tx.insert(pipelineStages).values(DEFAULT_STAGES.map((s, position) => ({ ...s, labels: { ...s.labels }, tenantId, position })));
}

export type Stage = { key: string; label: string; terminal: boolean; color: string; position: number };

export async function findStages(tx: Tx, locale: "ru" | "en"): Promise<Stage[]> {
  const rows = await tx.select().from(pipelineStages).orderBy(asc(pipelineStages.position));
  return rows.map((r) => ({
    key: r.key,
    label: r.labels[locale] ?? r.labels.ru ?? r.labels.en ?? r.key,
    terminal: r.terminal,
    color: r.color,
    position: r.position,
  }));
}
