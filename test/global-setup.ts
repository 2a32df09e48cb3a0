// Vitest global setup: a migrated database for the integration tests. Uses DATABASE_URL when
// given (CI, `npm test`), otherwise starts a throw-away embedded Postgres for this run.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort, startEmbeddedPostgres, type EmbeddedDb } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { assertLocalDatabase } from "./local-db-guard";

let embedded: EmbeddedDb | undefined;

export async function setup() {
  if (!process.env.DATABASE_URL) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "leadflow-vitest-"));
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), database: "leadflow_test", ephemeral: true, log: () => {} });
    process.env.DATABASE_URL = embedded.url;
  }
  assertLocalDatabase(process.env.DATABASE_URL);
  process.env.AUTH_SECRET ||= "test-secret-test-secret-test-secret";
  await runMigrations(process.env.DATABASE_URL);
}

export async function teardown() {
  await embedded?.stop();
}
