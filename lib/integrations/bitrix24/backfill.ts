import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { bitrix24Backfills } from "@/db/schema";
import type { Tx } from "@/db/tenant";
import { AppError } from "@/lib/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { bitrix24BackfillRef } from "@/lib/jobs/refs";
import { getTenantSettings } from "@/lib/services/tenant-settings";
import type { TBitrix24Backfill } from "@/lib/validators/bitrix24";
import { kickSync } from "@/lib/services/bitrix24-queue";

// "Send existing leads": a period's non-spam leads that Bitrix24 does not have are queued as `add`
// ops, a page at a time (the cursor and the ops in one transaction, so a restart goes on where it
// stopped). Each is marked `uncertain`, so the drain looks it up by ORIGIN_ID first, in batches of
// 50 — a re-run, or a portal that already got some of them, creates nothing twice.

const PAGE = 500;

export type BackfillView = { id: string; from: string; to: string; state: "running" | "done" | "cancelled"; total: number; done: number; failed: number; createdAt: string };

function periodBounds(tz: string, from: string, to: string) {
  return sql`created_at >= (${from}::date)::timestamp at time zone ${tz} and created_at < ((${to}::date + 1)::timestamp at time zone ${tz})`;
}

export async function startBackfill(tx: Tx, tenantId: string, actorUserId: string, input: TBitrix24Backfill): Promise<BackfillView> {
  const [running] = await tx.select({ id: bitrix24Backfills.id }).from(bitrix24Backfills).where(eq(bitrix24Backfills.state, "running")).limit(1);
  if (running) throw new AppError("conflict", "A backfill is already running");
  const { timezone } = await getTenantSettings(tx, tenantId);
  const [count] = (await tx.execute(sql`select count(*)::int as n from leads where tenant_id = ${tenantId}::uuid and not spam and ${periodBounds(timezone, input.from, input.to)}`)) as unknown as { n: number }[];
  const [row] = await tx.insert(bitrix24Backfills).values({ tenantId, createdBy: actorUserId, fromDay: input.from, toDay: input.to, total: count?.n ?? 0 }).returning();
  await enqueue(tx, bitrix24BackfillRef, { tenantId, backfillId: row!.id }, { jobKey: `b24backfill:${row!.id}` });
  return (await listBackfills(tx, 1))[0]!;
}

/**
 * Queue the next page of a backfill. Returns false once every lead of the period has been looked
 * at (the backfill's ops then finish in the drain).
 */
export async function queueBackfillPage(tx: Tx, tenantId: string, backfillId: string): Promise<boolean> {
  const [b] = await tx.select().from(bitrix24Backfills).where(eq(bitrix24Backfills.id, backfillId)).for("update").limit(1);
  if (!b || b.state !== "running" || b.finishedAt) return false;
  const { timezone } = await getTenantSettings(tx, tenantId);
  const after = b.cursor ? sql`and (created_at, id) > (${b.cursor.createdAt}::timestamptz, ${b.cursor.id}::uuid)` : sql``;
  const page = (await tx.execute(sql`
    select id, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at from leads
    where tenant_id = ${tenantId}::uuid and not spam and ${periodBounds(timezone, b.fromDay, b.toDay)} ${after}
    order by created_at, id limit ${PAGE}`)) as unknown as { id: string; created_at: string }[];
  if (!page.length) {
    await tx.update(bitrix24Backfills).set({ finishedAt: new Date() }).where(eq(bitrix24Backfills.id, backfillId));
    return false;
  }
  const ids = page.map((r) => r.id);
  const queued = (await tx.execute(sql`
    insert into bitrix24_ops (tenant_id, lead_id, kind, uncertain, backfill_id)
    select ${tenantId}::uuid, l.id, 'add', true, ${backfillId}::uuid from unnest(${sql.param(ids)}::uuid[]) as l(id)
    where not exists (select 1 from bitrix24_links k where k.tenant_id = ${tenantId}::uuid and k.lead_id = l.id)
      and not exists (select 1 from bitrix24_ops o where o.tenant_id = ${tenantId}::uuid and o.lead_id = l.id and o.kind = 'add' and o.state = 'pending')
    returning 1`)) as unknown as unknown[];
  const last = page[page.length - 1]!;
  const more = page.length === PAGE;
  await tx
    .update(bitrix24Backfills)
    .set({ cursor: { createdAt: last.created_at, id: last.id }, queued: sql`${bitrix24Backfills.queued} + ${queued.length}`, ...(more ? {} : { finishedAt: new Date() }) })
    .where(eq(bitrix24Backfills.id, backfillId));
  if (queued.length) await kickSync(tx, tenantId);
  return more;
}

/** Backfills, newest first, with progress counted from their ops (leads Bitrix24 had count as done). */
export async function listBackfills(tx: Tx, limit = 5): Promise<BackfillView[]> {
  const rows = await tx.select().from(bitrix24Backfills).orderBy(desc(bitrix24Backfills.createdAt)).limit(limit);
  const out: BackfillView[] = [];
  for (const b of rows) {
    const [c] = (await tx.execute(sql`
      select count(*) filter (where state = 'pending')::int as pending, count(*) filter (where state = 'failed')::int as failed
      from bitrix24_ops where tenant_id = ${b.tenantId}::uuid and backfill_id = ${b.id}::uuid`)) as unknown as { pending: number; failed: number }[];
    const pending = c?.pending ?? 0;
    let state = b.state;
    if (state === "running" && b.finishedAt && pending === 0) {
      state = "done";
      await tx.update(bitrix24Backfills).set({ state: "done" }).where(and(eq(bitrix24Backfills.id, b.id), eq(bitrix24Backfills.state, "running")));
    }
    // Not yet looked at: the rest of the period past the cursor.
    const unseen = b.finishedAt ? 0 : Math.max(0, b.total - b.queued);
    const done = Math.max(0, Math.min(b.total, b.total - unseen - pending));
    out.push({ id: b.id, from: b.fromDay, to: b.toDay, state, total: b.total, done: state === "done" ? b.total : done, failed: c?.failed ?? 0, createdAt: b.createdAt.toISOString() });
  }
  return out;
}

/** Backfills whose queuing has not finished (the tick resumes them after a crash). */
export async function unfinishedBackfills(tx: Tx): Promise<string[]> {
  const rows = await tx.select({ id: bitrix24Backfills.id }).from(bitrix24Backfills).where(and(eq(bitrix24Backfills.state, "running"), sql`${bitrix24Backfills.finishedAt} is null`));
  return rows.map((r) => r.id);
}
