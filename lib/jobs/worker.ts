import "server-only";
import { Logger, run, type Runner } from "graphile-worker";
import { requireDatabaseUrl } from "@/lib/env";
import { taskList } from "./handlers";

const quietLogger = new Logger((scope) => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[worker${scope.taskIdentifier ? `:${scope.taskIdentifier}` : ""}] ${message}`);
});

/** Start a job worker in this process (LISTEN/NOTIFY wake-ups, polling as a fallback). */
export async function startWorker(opts: { concurrency?: number } = {}): Promise<Runner> {
  return run({
    connectionString: requireDatabaseUrl(),
    concurrency: opts.concurrency ?? 4,
    maxPoolSize: (opts.concurrency ?? 4) + 2,
    pollInterval: 2000,
    noHandleSignals: true,
    logger: quietLogger,
    taskList: taskList(),
    crontab: "17 * * * * intake:cleanup ?max=1",
  });
}
