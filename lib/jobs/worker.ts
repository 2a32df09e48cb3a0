import "server-only";
import { Logger, run, type Runner } from "graphile-worker";
import { requireDatabaseUrl } from "@/lib/env";
import { taskList } from "./index";
import { kickRelay } from "./relay";

const quietLogger = new Logger((scope) => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[worker${scope.taskIdentifier ? `:${scope.taskIdentifier}` : ""}] ${message}`);
});

/** Start a job worker in this process (LISTEN/NOTIFY wake-ups, polling as a fallback). */
export async function startWorker(opts: { concurrency?: number } = {}): Promise<Runner> {
  const runner = await run({
    connectionString: requireDatabaseUrl(),
    concurrency: opts.concurrency ?? 4,
    maxPoolSize: (opts.concurrency ?? 4) + 2,
    pollInterval: 2000,
    noHandleSignals: true,
    logger: quietLogger,
    taskList: taskList(),
    // The relay's safety net (a kick lost with a crashed process), and the 24 h idempotency sweep.
    crontab: ["* * * * * queue:relay ?max=1&id=relay", "17 * * * * intake:cleanup ?max=1", "* * * * * analytics:refresh ?max=1&id=analytics"].join("\n"),
  });
  kickRelay(); // whatever a previous run left in the outbox
  return runner;
}
