// `npm run worker`: the background job worker alone (web and workers as separate processes).
import { createServer } from "node:http";
import { resolveDatabase } from "./_db";

async function main() {
  const db = await resolveDatabase({ migrate: true });
  const { startWorker } = await import("../lib/jobs/worker");
  const runner = await startWorker();
  console.log("LeadFlow worker running (Ctrl-C stops it).");
  // For supervisors and the e2e runner: GET /health answers once the worker runs.
  const healthPort = Number(process.env.WORKER_HEALTH_PORT || 0);
  if (healthPort) createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok")).listen(healthPort, "127.0.0.1");
  const stop = async () => {
    await runner.stop();
    const { closeDb } = await import("../db/index");
    await closeDb();
    await db.stop();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  await runner.promise;
}

main().catch((e) => {
  console.error(`The worker could not start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
