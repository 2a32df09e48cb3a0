import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { env } from "@/lib/env";

// The portal's leaky bucket (BITRIX24_CONTRACT §7), mirrored in Postgres so every worker and web
// process shares one: each request adds 1 to the portal's level, which drains at `rate` per second;
// the portal refuses a request that would lift it above `burst`. Taking a slot is one statement
// under the row's lock; a level above the burst is a reservation — the caller waits until its
// request's turn — so concurrent callers queue fairly instead of racing.

export type BucketLimits = { rate: number; burst: number };

export function defaultLimits(): BucketLimits {
  return { rate: env.BITRIX24_RATE_PER_SEC, burst: env.BITRIX24_BURST };
}

/** The longest a caller waits for its turn; past it, it gives the slot back and comes later. */
export const MAX_WAIT_MS = 20_000;

function levelNow(limits: BucketLimits) {
  return sql`greatest(0, b.level - extract(epoch from clock_timestamp() - b.at) * ${limits.rate}::float8)`;
}

/**
 * Reserve one request for `portal`: the milliseconds to wait before sending it (0 = now), or null
 * when the wait would exceed `maxWaitMs` (nothing is then reserved). One short transaction under
 * the portal row's lock, so concurrent callers queue one behind another.
 */
export async function reserve(portal: string, limits = defaultLimits(), maxWaitMs = MAX_WAIT_MS): Promise<number | null> {
  // One slot of margin: our clock and the portal's drain are not in perfect step.
  const room = Math.max(1, limits.burst - 1);
  const maxLevel = room + (maxWaitMs / 1000) * limits.rate;
  return getDb().transaction(async (tx) => {
    await tx.execute(sql`insert into bitrix24_buckets (portal, level, at) values (${portal}, 0, clock_timestamp()) on conflict (portal) do nothing`);
    const [row] = (await tx.execute(sql`select ${levelNow(limits)} as level from bitrix24_buckets b where portal = ${portal} for update`)) as unknown as { level: number }[];
    const next = Number(row!.level) + 1;
    if (next > maxLevel) return null;
    await tx.execute(sql`update bitrix24_buckets set level = ${next}, at = clock_timestamp() where portal = ${portal}`);
    return next <= room ? 0 : Math.ceil(((next - room) / limits.rate) * 1000);
  });
}

/**
 * The portal said its bucket is full (503 QUERY_LIMIT_EXCEEDED: someone else calls it too, or our
 * mirror drifted): fill ours, so every process waits for the drain.
 */
export async function markFull(portal: string, limits = defaultLimits()): Promise<void> {
  await getDb().execute(sql`
    insert into bitrix24_buckets as b (portal, level, at) values (${portal}, ${limits.burst}, clock_timestamp())
    on conflict (portal) do update set level = greatest(${levelNow(limits)}, ${limits.burst}::float8), at = clock_timestamp()`);
}

/** How long a new request would wait now (the sync log's health line). */
export async function currentWaitMs(portal: string, limits = defaultLimits()): Promise<number> {
  const rows = (await getDb().execute(sql`select ${levelNow(limits)} as level from bitrix24_buckets b where portal = ${portal}`)) as unknown as { level: number }[];
  const level = rows[0]?.level ?? 0;
  const room = Math.max(1, limits.burst - 1);
  return level + 1 <= room ? 0 : Math.ceil(((level + 1 - room) / limits.rate) * 1000);
}
