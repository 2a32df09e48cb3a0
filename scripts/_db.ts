// The one answer scripts and test runners give to "which database?": DATABASE_URL when given,
// otherwise an embedded Postgres — the product's own under .data/ (start, CLI, worker, migrate),
// or a throw-away one in a temporary directory (tests, benchmarks). Defaults come from lib/env.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startEmbeddedPostgres, type EmbeddedDb } from "../db/embedded";
import { runMigrations } from "../db/migrate";
import { parseEnv } from "../lib/env";
import { assertLocalDatabase } from "../test/local-db-guard";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The product's data directory (`LEADFLOW_DATA_DIR`, default .data), read when asked. */
export function dataDir(): string {
  return path.resolve(ROOT, parseEnv(process.env).LEADFLOW_DATA_DIR);
}

export type ResolvedDb = { url: string; embedded: EmbeddedDb | null; stop: () => Promise<void> };

export async function resolveDatabase(opts: {
  migrate: boolean;
  /** A fresh embedded cluster in a temporary directory, removed by `stop()` (when no DATABASE_URL). */
  throwaway?: { database: string };
  /** Refuse a DATABASE_URL that is not on this machine (tests drop and fill tables). */
  localOnly?: boolean;
  log?: (line: string) => void;
}): Promise<ResolvedDb> {
  const log = opts.log ?? ((l: string) => console.error(l));
  const env = parseEnv(process.env);
  let url = env.DATABASE_URL;
  let embedded: EmbeddedDb | null = null;
  let tmp: string | null = null;
  if (!url) {
    if (opts.throwaway) {
      tmp = await mkdtemp(path.join(os.tmpdir(), "leadflow-"));
      await chmod(tmp, 0o755); // the embedded server runs as its own OS user
      embedded = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), port: await freePort(), database: opts.throwaway.database, ephemeral: true, log: () => {} });
    } else {
      embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir(), "pg"), port: env.LEADFLOW_PG_PORT, database: "leadflow", log });
    }
    url = embedded.url;
    process.env.DATABASE_URL = url;
  }
  if (opts.localOnly) assertLocalDatabase(url);
  if (opts.migrate) await runMigrations(url);
  const stop = async () => {
    await embedded?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  };
  return { url, embedded, stop };
}
