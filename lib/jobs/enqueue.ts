import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Tx } from "@/db/tenant";
import { jsonbObject, type SqlFields } from "@/db/sql";
import type { Job } from "./define";

/**
 * Enqueue a job in the caller's tenant transaction: it exists only if the transaction commits
 * (`leadflow_enqueue` writes the outbox and checks the payload's tenant against the transaction's).
 * After the commit, call `kickRelay()` (./relay) so it reaches the queue at once, not at the next cron.
 */
export async function enqueue<P extends z.ZodType>(tx: Tx, job: Pick<Job<P>, "id" | "payload">, payload: z.input<P>, opts: { jobKey?: string; maxAttempts?: number } = {}): Promise<void> {
  const data = job.payload.parse(payload);
  await tx.execute(sql`select leadflow_enqueue(${job.id}, ${JSON.stringify(data)}::jsonb, ${opts.jobKey ?? null}, null::timestamptz, ${opts.maxAttempts ?? null}::int)`);
}

/**
 * The same, as an SQL expression for statements that build the payload from their own rows (the
 * intake write): every payload field must be given, as an SQL expression of its value.
 */
export function enqueueSql<P extends z.ZodType>(job: Pick<Job<P>, "id" | "payload">, payload: SqlFields<z.input<P>>): SQL {
  return sql`leadflow_enqueue(${job.id}::text, ${jsonbObject(payload)})`;
}
