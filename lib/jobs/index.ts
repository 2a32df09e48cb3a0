import "server-only";
import type { TaskList } from "graphile-worker";
import type { Job } from "./define";
import { aiAnalyse } from "./ai-analyse";
import { aiTrain } from "./ai-train";
import { analyticsRefresh } from "./analytics-refresh";
import { bitrix24Backfill, bitrix24Pull, bitrix24Reconcile, bitrix24Sync, bitrix24Tick } from "./bitrix24";
import { intakeCleanup } from "./intake-cleanup";
import { leadReceived } from "./lead-received";
import { leadResponseDue } from "./lead-response-due";
import { leadsImport } from "./leads-import";
import { queueRelay } from "./queue-relay";

// Every background job, one file each (id + zod payload + handler). A new job: add its file and
// list it here; enqueue it with `enqueue` / `enqueueSql` from ./enqueue.

export const JOBS = [leadReceived, leadResponseDue, intakeCleanup, queueRelay, leadsImport, analyticsRefresh, aiAnalyse, aiTrain, bitrix24Sync, bitrix24Pull, bitrix24Backfill, bitrix24Tick, bitrix24Reconcile] as const satisfies readonly Job[];

/** graphile-worker's task list, each payload validated by its zod schema before the handler runs. */
export function taskList(): TaskList {
  return Object.fromEntries(
    JOBS.map((job) => [
      job.id,
      async (payload: unknown, helpers: Parameters<Job["handler"]>[1]) => {
        const parsed = job.payload.safeParse(payload);
        if (!parsed.success) {
          // A malformed payload will never succeed: log and drop instead of retrying 25 times.
          helpers.logger.error(`job ${job.id} has an invalid payload: ${parsed.error.message}`);
          return;
        }
        await (job.handler as Job["handler"])(parsed.data, helpers);
      },
    ]),
  );
}
