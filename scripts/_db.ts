// Shared by the scripts: the database to use, embedded unless DATABASE_URL is given.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startEmbeddedPostgres, type EmbeddedDb } from "../db/embedded";
import { runMigrations } from "../db/migrate";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DATA_DIR = path.resolve(ROOT, process.env.LEADFLOW_DATA_DIR || ".data");

export type ResolvedDb = { url: string; embedded: EmbeddedDb | null };

export async function resolveDatabase(opts: { migrate: boolean; log?: (line: string) => void }): Promise<ResolvedDb> {
  const log = opts.log ?? ((l: string) => console.error(l));
  let url = process.env.DATABASE_URL;
  let embedded: EmbeddedDb | null = null;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: path.join(DATA_DIR, "pg"),
      port: Number(process.env.LEADFLOW_PG_PORT || 54329),
      database: "leadflow",
      log,
    });
    url = embedded.url;
    process.env.DATABASE_URL = url;
  }
  if (opts.migrate) await runMigrations(url);
  return { url, embedded };
}
