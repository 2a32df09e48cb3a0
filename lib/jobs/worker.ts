import "server-only";
import { Logger, run, type Runner } from "graphile-worker";
import { env, requireDatabaseUrl } from "@/lib/env";
import { taskList } from "./index";
import { kickRelay } from "./relay";

// The relay's safety net (a kick lost with a crashed process), the 24 h idempotency sweep, the
// analytics rollup, and Bitrix24's minute tick (queued work, resumed backfills) and reconcile.
const CRONTAB = [
  "* * * * * queue:relay ?max=1&id=relay",
  "17 * * * * intake:cleanup ?max=1",
  "* * * * * analytics:refresh ?max=1&id=analytics",
  "* * * * * bitrix24:tick ?max=1&id=b24tick",
  "*/5 * * * * bitrix24:reconcile ?max=1&id=b24reconcile",
];

const quietLogger = new Logger((scope) => (level, message) => {
  if (level === "error" || level === "warning") console.error(`[worker${scope.taskIdentifier ? `:${scope.taskIdentifier}` : ""}] ${message}`);
});

/** Start a job worker in this process (LISTEN/NOTIFY wake-ups, polling as a fallback). */
export async function startWorker(opts: { concurrency?: number; only?: string[] } = {}): Promise<Runner> {
  // `only`: task id prefixes this worker runs (a worker dedicated to one integration; tests).
  const only = opts.only ?? (env.LEADFLOW_WORKER_TASKS ? env.LEADFLOW_WORKER_TASKS.split(",").map((s) => s.trim()).filter(Boolean) : null);
  const wanted = (id: string) => !only || only.some((p) => id.startsWith(p));
  const tasks = Object.fromEntries(Object.entries(taskList()).filter(([id]) => wanted(id)));
  const crontab = CRONTAB.filter((line) => wanted(line.split(" ")[5] ?? ""));
  const runner = await run({
    connectionString: requireDatabaseUrl(),
    concurrency: opts.concurrency ?? 4,
    maxPoolSize: (opts.concurrency ?? 4) + 2,
    pollInterval: 2000,
    noHandleSignals: true,
    logger: quietLogger,
    taskList: tasks,
    crontab: crontab.join("\n"),
  });
  kickRelay(); // whatever a previous run left in the outbox
  return runner;
}
