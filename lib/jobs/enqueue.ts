import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/tenant";
import { JOBS, type JobName, type JobPayload } from "./definitions";

/**
 * Enqueue a job in the caller's tenant transaction: it exists only if the transaction commits.
 * After the commit, call `kickRelay()` (./relay) so it reaches the queue at once, not at the next cron.
 */
export async function enqueue<N extends JobName>(tx: Tx, name: N, payload: JobPayload<N>, opts: { jobKey?: string } = {}): Promise<void> {
  const data = JOBS[name].parse(payload);
  await tx.execute(sql`select leadflow_enqueue(${name}, ${JSON.stringify(data)}::jsonb, ${opts.jobKey ?? null})`);
}
