import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { withTenant } from "@/db/tenant";
import { refreshStats } from "@/lib/services/analytics";
import { defineJob } from "./define";

const BUDGET_MS = 30_000;

/**
 * Every minute: rebuild the analytics rollup of the days whose leads changed (see
 * lib/services/analytics.ts). Lists the tenants with changed days as the owner (the reviewed
 * `lead_stats_dirty_sweep` policy: tenant ids and dates only), then rebuilds each in its own tenant
 * transaction, a batch of days at a time, within a time budget (the next run goes on).
 */
export const analyticsRefresh = defineJob({
  id: "analytics:refresh",
  payload: z.object({}),
  async handler(_payload, helpers) {
    const started = Date.now();
    const rows = (await getDb().execute(sql`select distinct tenant_id from lead_stats_dirty`)) as unknown as { tenant_id: string }[];
    let days = 0;
    for (const { tenant_id: tenantId } of rows) {
      while (Date.now() - started < BUDGET_MS) {
        const n = await withTenant(tenantId, (tx) => refreshStats(tx, tenantId));
        days += n;
        if (n === 0) break;
      }
    }
    if (days) helpers.logger.debug(`analytics rollup: ${days} day(s) rebuilt`);
  },
});
