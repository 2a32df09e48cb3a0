import "server-only";
import { eq, sql } from "drizzle-orm";
import { siteKeys } from "@/db/schema";
import { withTenant } from "@/db/tenant";

// "Last used" and a usage count per key, for Settings. Counted in memory and written in batches,
// so the intake hot path never waits on it; a crash loses at most a few seconds of counts.
const FLUSH_MS = 5_000;
const pending = new Map<string, { tenantId: string; count: number; last: Date }>();
let timer: NodeJS.Timeout | null = null;

export function recordKeyUse(keyId: string, tenantId: string): void {
  const cur = pending.get(keyId);
  if (cur) {
    cur.count++;
    cur.last = new Date();
  } else pending.set(keyId, { tenantId, count: 1, last: new Date() });
  timer ??= setTimeout(() => void flushKeyUsage(), FLUSH_MS).unref();
}

export async function flushKeyUsage(): Promise<void> {
  timer = null;
  const batch = [...pending.entries()];
  pending.clear();
  for (const [keyId, u] of batch) {
    try {
      await withTenant(u.tenantId, (tx) =>
        tx
          .update(siteKeys)
          .set({ usageCount: sql`${siteKeys.usageCount} + ${u.count}`, lastUsedAt: sql`greatest(${siteKeys.lastUsedAt}, ${u.last.toISOString()}::timestamptz)` })
          .where(eq(siteKeys.id, keyId)),
      );
    } catch {
      // The database is away: keep the counts for the next flush.
      const cur = pending.get(keyId);
      pending.set(keyId, { tenantId: u.tenantId, count: u.count + (cur?.count ?? 0), last: cur && cur.last > u.last ? cur.last : u.last });
      timer ??= setTimeout(() => void flushKeyUsage(), FLUSH_MS * 4).unref();
    }
  }
}
