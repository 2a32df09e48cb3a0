import "server-only";
import { getSqlClient } from "@/db";

// Jobs are written to leadflow_queue.outbox in the request's transaction (cheap), then moved into
// graphile-worker by the `queue:relay` job (see migration 0005). Committing a job "kicks" the relay:
// one short-delayed relay job per window, per process, with a trailing kick so nothing committed
// at the edge of a window waits for the once-a-minute cron that backs it all up.

const WINDOW_MS = 150;
let lastKick = 0;
let trailing: NodeJS.Timeout | null = null;

async function addRelayJob(): Promise<void> {
  await getSqlClient()`select graphile_worker.add_job('queue:relay', '{}'::json,
    job_key => 'queue:relay')`;
}

/** Ask for a relay run soon. Never throws: the cron relay covers a failure here. */
export function kickRelay(): void {
  const now = Date.now();
  if (now - lastKick >= WINDOW_MS) {
    lastKick = now;
    addRelayJob().catch(() => {});
    return;
  }
  trailing ??= setTimeout(() => {
    trailing = null;
    lastKick = Date.now();
    addRelayJob().catch(() => {});
  }, WINDOW_MS - (now - lastKick)).unref();
}

/** Move everything in the outbox into the queue, batch by batch (the `queue:relay` task). */
export async function relayOutbox(batchSize = 500): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = await getSqlClient()`select leadflow_queue.relay(${batchSize}) as moved`;
    const moved = Number(row?.moved ?? 0);
    total += moved;
    if (moved < batchSize) return total;
  }
}
