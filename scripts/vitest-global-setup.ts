// Vitest global setup: a migrated database, and the built web server for the HTTP tests.
// Uses DATABASE_URL when given (CI, `npm test`), otherwise a throw-away embedded Postgres.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort, startEmbeddedPostgres, type EmbeddedDb } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { assertLocalDatabase } from "../test/local-db-guard";
import { ROOT } from "./_db";
import { startBuiltServer } from "./_next";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of `next start` on the built app, or null when there is no build. */
    serverUrl: string | null;
  }
}

let embedded: EmbeddedDb | undefined;
let server: ChildProcess | undefined;

async function startServer(): Promise<string | null> {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) return null;
  const started = await startBuiltServer(await freePort(), process.env);
  server = started.child;
  return started.url;
}

export async function setup(project: TestProject) {
  if (!process.env.DATABASE_URL) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "leadflow-vitest-"));
    await chmod(dir, 0o755);
    embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port: await freePort(), database: "leadflow_test", ephemeral: true, log: () => {} });
    process.env.DATABASE_URL = embedded.url;
  }
  assertLocalDatabase(process.env.DATABASE_URL);
  process.env.AUTH_SECRET ||= "test-secret-test-secret-test-secret";
  await runMigrations(process.env.DATABASE_URL);
  project.provide("serverUrl", await startServer());
}

export async function teardown() {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  await embedded?.stop();
}
