import "server-only";
import { lt, sql } from "drizzle-orm";
import type { Task, TaskList } from "graphile-worker";
import { getDb } from "@/db";
import { intakeRequests, leadEvents } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { JOBS, type JobName, type JobPayload } from "./definitions";
import { relayOutbox } from "./relay";

type Handler<N extends JobName> = (payload: JobPayload<N>, helpers: Parameters<Task>[1]) => Promise<void>;

const handlers: { [N in JobName]: Handler<N> } = {
  // Proves the intake → queue path: the lead's timeline shows it was picked up.
  "lead:received": async ({ tenantId, leadId }, helpers) => {
    await withTenant(tenantId, async (tx) => {
      await tx.insert(leadEvents).values({ tenantId, leadId, type: "received", payload: { jobId: String(helpers.job.id) } });
    });
  },
  // Idempotency keys only count for 24 h. Runs as the owner (no tenant): a maintenance sweep.
  "queue:relay": async () => {
    await relayOutbox();
  },
  "intake:cleanup": async () => {
    await getDb().delete(intakeRequests).where(lt(intakeRequests.createdAt, sql`now() - interval '25 hours'`));
  },
};

/** graphile-worker's task list, each payload validated by its zod schema before the handler runs. */
export function taskList(): TaskList {
  return Object.fromEntries(
    (Object.keys(JOBS) as JobName[]).map((name) => [
      name,
      (async (payload, helpers) => {
        const parsed = JOBS[name].safeParse(payload);
        if (!parsed.success) {
          // A malformed payload will never succeed: log and drop instead of retrying 25 times.
          helpers.logger.error(`job ${name} has an invalid payload: ${parsed.error.message}`);
          return;
        }
        await (handlers[name] as Handler<typeof name>)(parsed.data as never, helpers);
      }) satisfies Task,
    ]),
  );
}
