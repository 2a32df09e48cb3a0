// Vitest global setup: a migrated database, and the built web server for the HTTP tests.
// Uses DATABASE_URL when given (CI, `npm test`), otherwise a throw-away embedded Postgres.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { freePort } from "../db/embedded";
import { resolveDatabase, ROOT, type ResolvedDb } from "./_db";
import { startBuiltServer } from "./_next";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of `next start` on the built app, or null when there is no build. */
    serverUrl: string | null;
  }
}

let db: ResolvedDb | undefined;
let server: ChildProcess | undefined;

async function startServer(): Promise<string | null> {
  if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) return null;
  const started = await startBuiltServer(await freePort(), process.env);
  server = started.child;
  return started.url;
}

export async function setup(project: TestProject) {
  db = await resolveDatabase({ migrate: true, throwaway: { database: "leadflow_test" }, localOnly: true });
  process.env.AUTH_SECRET ||= "test-secret-test-secret-test-secret";
  // Sealed secrets (Bitrix24 webhook URLs) in tests: a fixed key unless the runner gave one.
  process.env.APP_ENCRYPTION_KEY ||= Buffer.alloc(32, 7).toString("base64");
  project.provide("serverUrl", await startServer());
}

export async function teardown() {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  await db?.stop();
}
