import "server-only";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { auditLog, DEFAULT_STAGES, leads, pipelineStages, type Locale } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError, pgErrorCode } from "@/lib/errors";
import {
  DEFAULT_CUSTOM_BITRIX_STATUS,
  isContractStage,
  MAX_STAGES,
  uniqueStageKey,
  type TPipelineStage,
  type TStageCreate,
  type TStageUpdate,
} from "@/lib/validators/pipeline";


export async function createDefaultStages(tx: Tx, tenantId: string): Promise<void> {
  await tx.insert(pipelineStages).values(DEFAULT_STAGES.map((s, position) => ({ ...s, labels: { ...s.labels }, tenantId, position })));
}

export type Stage = { key: string; label: string; terminal: boolean; color: string; position: number };

export async function findStages(tx: Tx, locale: Locale): Promise<Stage[]> {
  const rows = await tx.select().from(pipelineStages).orderBy(asc(pipelineStages.position), asc(pipelineStages.key));
  return rows.map((r) => ({
    key: r.key,
    label: r.labels[locale] ?? r.labels.ru ?? r.labels.en ?? r.key,
    terminal: r.terminal,
    color: r.color,
    position: r.position,
  }));
}

// ── Editing the pipeline (Settings → Pipeline, owner only) ──────────────────────────────────────
// Every change takes the tenant's pipeline lock first and then reads the stages afresh, so two
// owners editing at once queue up and each sees the other's result: positions are rewritten as
// 0…n-1 in one statement, never duplicated. Terminal stages always follow the others, `new` leads.

type StageRow = typeof pipelineStages.$inferSelect;

/** Every stage for Settings, with how many leads sit in each now. */
export async function findPipeline(tx: Tx): Promise<TPipelineStage[]> {
  const [rows, counts] = await Promise.all([
    tx.select().from(pipelineStages).orderBy(asc(pipelineStages.position), asc(pipelineStages.key)),
    tx.select({ status: leads.status, n: count() }).from(leads).groupBy(leads.status),
  ]);
  const countOf = new Map(counts.map((c) => [c.status, c.n]));
  return rows.map((r) => toView(r, countOf.get(r.key) ?? 0));
}

function toView(r: StageRow, leadCount: number): TPipelineStage {
  const ru = r.labels.ru ?? r.labels.en ?? r.key;
  return {
    key: r.key,
    labels: { ru, en: r.labels.en ?? ru },
    position: r.position,
    terminal: r.terminal,
    color: r.color,
    bitrixStatusId: r.bitrixStatusId,
    contract: isContractStage(r.key),
    leads: leadCount,
  };
}

/** The tenant's pipeline lock (transaction-scoped), then its stages in order, read after the lock. */
async function lockStages(tx: Tx, tenantId: string): Promise<StageRow[]> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`pipeline:${tenantId}`}, 0))`);
  return tx.select().from(pipelineStages).orderBy(asc(pipelineStages.position), asc(pipelineStages.key));
}

/** Non-terminal stages in the given order, then the terminal ones in theirs: positions 0…n-1, one statement. */
async function writeOrder(tx: Tx, tenantId: string, rows: StageRow[], nonTerminalKeys: string[]): Promise<string[]> {
  const order = [...nonTerminalKeys, ...rows.filter((r) => r.terminal).map((r) => r.key)];
  const values = sql.join(
    order.map((key, i) => sql`(${key}::text, ${i}::int)`),
    sql`, `,
  );
  await tx.execute(sql`update ${pipelineStages} set position = v.position
    from (values ${values}) as v(key, position)
    where ${pipelineStages.tenantId} = ${tenantId} and ${pipelineStages.key} = v.key and ${pipelineStages.position} <> v.position`);
  return order;
}

const nonTerminalKeys = (rows: StageRow[]) => rows.filter((r) => !r.terminal).map((r) => r.key);

function requireStage(rows: StageRow[], key: string): StageRow {
  const row = rows.find((r) => r.key === key);
  if (!row) throw new AppError("not_found", `No stage "${key}" in this pipeline`);
  return row;
}

function audit(tx: Tx, tenantId: string, actorUserId: string | null, action: string, key: string | null, data: Record<string, unknown>) {
  return tx.insert(auditLog).values({ tenantId, actorUserId, action, entity: "pipeline_stage", entityId: key, data });
}

/**
 * A new non-terminal stage, just before the terminal ones. Its key comes from the Russian label
 * (transliterated, deduplicated) and never changes; Bitrix24 sees it as `IN_PROCESS`.
 */
export async function createStage(tx: Tx, tenantId: string, input: TStageCreate, actorUserId: string | null): Promise<TPipelineStage> {
  const rows = await lockStages(tx, tenantId);
  if (rows.length >= MAX_STAGES) throw new AppError("conflict", `A pipeline has at most ${MAX_STAGES} stages`);
  const key = uniqueStageKey(input.labels.ru, new Set(rows.map((r) => r.key)));
  const labels = { ru: input.labels.ru, en: input.labels.en ?? input.labels.ru };
  const [row] = await tx
    .insert(pipelineStages)
    .values({ tenantId, key, labels, color: input.color, terminal: false, bitrixStatusId: DEFAULT_CUSTOM_BITRIX_STATUS, position: rows.length })
    .returning();
  if (!row) throw new Error("stage insert returned nothing");
  const order = await writeOrder(tx, tenantId, rows, [...nonTerminalKeys(rows), key]);
  await audit(tx, tenantId, actorUserId, "pipeline.stage_create", key, { labels, color: input.color });
  return toView({ ...row, position: order.indexOf(key) }, 0);
}

/** Rename, recolour or remap a stage (any stage, the contract's too); the key stays. */
export async function updateStage(tx: Tx, tenantId: string, input: TStageUpdate, actorUserId: string | null): Promise<TPipelineStage> {
  const rows = await lockStages(tx, tenantId);
  const before = requireStage(rows, input.key);
  const set: Partial<typeof pipelineStages.$inferInsert> = {};
  if (input.labels) set.labels = { ...before.labels, ru: input.labels.ru, en: input.labels.en ?? input.labels.ru };
  if (input.color) set.color = input.color;
  if (input.bitrixStatusId) set.bitrixStatusId = input.bitrixStatusId;
  if (Object.keys(set).length === 0) return toView(before, await leadsIn(tx, before.key));
  const [row] = await tx.update(pipelineStages).set(set).where(and(eq(pipelineStages.tenantId, tenantId), eq(pipelineStages.key, input.key))).returning();
  if (!row) throw new AppError("not_found", `No stage "${input.key}" in this pipeline`);
  const changed = Object.fromEntries(
    Object.entries(set).map(([field, to]) => [field, { from: before[field as keyof StageRow], to }]),
  );
  await audit(tx, tenantId, actorUserId, "pipeline.stage_update", input.key, { changed });
  return toView(row, await leadsIn(tx, row.key));
}

/**
 * A new order of the non-terminal stages: exactly the current ones, `new` first. The terminal
 * stages keep their order after them.
 */
export async function reorderStages(tx: Tx, tenantId: string, keys: string[], actorUserId: string | null): Promise<string[]> {
  const rows = await lockStages(tx, tenantId);
  const current = nonTerminalKeys(rows);
  if (keys[0] !== "new") {
    throw new AppError("validation_error", `"new" stays the first stage (new leads arrive in it)`, { issues: [{ path: "keys.0", message: `must be "new"` }] });
  }
  const given = new Set(keys);
  if (given.size !== keys.length || keys.length !== current.length || current.some((k) => !given.has(k))) {
    throw new AppError("conflict", "The order must list every non-terminal stage once; the pipeline may have changed, reload it");
  }
  const order = await writeOrder(tx, tenantId, rows, keys);
  await audit(tx, tenantId, actorUserId, "pipeline.reorder", null, { from: rows.map((r) => r.key), to: order });
  return order;
}

/**
 * Delete a stage the tenant added, when no lead is in it. The stage row is locked first, so no
 * lead can move into it meanwhile; the foreign key from leads would refuse anyway.
 */
export async function deleteStage(tx: Tx, tenantId: string, key: string, actorUserId: string | null): Promise<void> {
  const rows = await lockStages(tx, tenantId);
  const row = requireStage(rows, key);
  if (isContractStage(key)) throw new AppError("conflict", `"${key}" is one of the pipeline's built-in stages: rename it, do not delete it`);
  await tx.select({ key: pipelineStages.key }).from(pipelineStages).where(and(eq(pipelineStages.tenantId, tenantId), eq(pipelineStages.key, key))).for("update");
  const n = await leadsIn(tx, key);
  if (n > 0) throw inUse(key, n);
  try {
    await tx.delete(pipelineStages).where(and(eq(pipelineStages.tenantId, tenantId), eq(pipelineStages.key, key)));
  } catch (e) {
    if (pgErrorCode(e) === "23503") throw inUse(key, null);
    throw e;
  }
  const rest = rows.filter((r) => r.key !== key);
  await writeOrder(tx, tenantId, rest, nonTerminalKeys(rest));
  await audit(tx, tenantId, actorUserId, "pipeline.stage_delete", key, { labels: row.labels, color: row.color, bitrixStatusId: row.bitrixStatusId });
}

function inUse(key: string, n: number | null) {
  const what = n === null ? "Leads are" : n === 1 ? "1 lead is" : `${n} leads are`;
  return new AppError("conflict", `${what} in the stage "${key}": move them to another stage before deleting it`);
}

async function leadsIn(tx: Tx, key: string): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(leads).where(eq(leads.status, key));
  return row?.n ?? 0;
}
