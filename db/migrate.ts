/** Apply the committed migrations (idempotent). Not `server-only`: scripts and tests call it. */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { Logger, runMigrations as runQueueMigrations } from "graphile-worker";

const here = path.dirname(fileURLToPath(import.meta.url));

export async function runMigrations(url: string): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Two processes migrating at once (web + worker) must not interleave.
    await client`select pg_advisory_lock(727274)`;
    // The job queue's own schema (graphile_worker) first: our queue relay function refers to its types.
    await runQueueMigrations({ connectionString: url, logger: new Logger(() => () => {}) });
    await migrate(drizzle(client), { migrationsFolder: path.join(here, "migrations") });
  } finally {
    await client`select pg_advisory_unlock(727274)`.catch(() => {});
    await client.end({ timeout: 5 });
  }
}
