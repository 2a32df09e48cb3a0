import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, startEmbeddedPostgres } from "./embedded";

const ROOT = path.resolve(__dirname, "..");
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Postgres runs as the OS user `postgres` when we are root: it must be able to enter the dir. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "leadflow-emb-"));
  await chmod(dir, 0o755);
  return dir;
}

async function ping(url: string): Promise<number> {
  const c = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [r] = await c`select 1 as one`;
    return r!.one as number;
  } finally {
    await c.end();
  }
}

describe("embedded Postgres", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("recovers from a server orphaned by a crashed (kill -9) parent, saying so", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const dataDir = path.join(dir, "pg");
    const port = await freePort();
    // A parent that starts the server, reports, and is then killed without any chance to clean up.
    const script = `
      import { startEmbeddedPostgres } from ${JSON.stringify(path.join(ROOT, "db/embedded.ts"))};
      await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, database: "x", log: () => {} });
      console.log("up");
      setInterval(() => {}, 1000);`;
    const file = path.join(dir, "parent.mts");
    await writeFile(file, script);
    const child = spawn(process.execPath, ["--import", "tsx", file], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("up") && resolve());
      child.on("exit", (c) => reject(new Error(`parent exited ${c}`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
    const orphan = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
    expect(alive(orphan)).toBe(true);

    const logs: string[] = [];
    const db = await startEmbeddedPostgres({ dataDir, port, database: "x", log: (l) => logs.push(l) });
    try {
      expect(logs.join("\n")).toMatch(/left running by an earlier run/);
      expect(alive(orphan)).toBe(false);
      expect(db.owned).toBe(true);
      expect(await ping(db.url)).toBe(1);
    } finally {
      await db.stop();
    }
  }, 60_000);

  it("removes a stale postmaster.pid whose process is gone", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const dataDir = path.join(dir, "pg");
    const port = await freePort();
    const first = await startEmbeddedPostgres({ dataDir, port, database: "x", log: () => {} });
    await first.stop();
    const dead = spawn(process.execPath, ["-e", "0"]);
    await new Promise((r) => dead.once("exit", r));
    await writeFile(path.join(dataDir, "postmaster.pid"), `${dead.pid}\n${dataDir}\n`);

    const logs: string[] = [];
    const db = await startEmbeddedPostgres({ dataDir, port, database: "x", log: (l) => logs.push(l) });
    try {
      expect(logs.join("\n")).toMatch(/stale postmaster\.pid/);
      expect(await ping(db.url)).toBe(1);
    } finally {
      await db.stop();
    }
  }, 60_000);

  it("a second process joins a server another live process owns instead of starting its own", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const dataDir = path.join(dir, "pg");
    const port = await freePort();
    const owner = await startEmbeddedPostgres({ dataDir, port, database: "x", log: () => {} });
    try {
      // Pretend the owner is another process (the running `npm start`): this process's parent.
      await writeFile(`${dataDir}.owner`, `${process.ppid}\n`);
      const joined = await startEmbeddedPostgres({ dataDir, port, database: "y", log: () => {} });
      expect(joined.owned).toBe(false);
      expect(await ping(joined.url)).toBe(1);
      await joined.stop(); // a no-op for a joiner
      expect(await ping(owner.url)).toBe(1);
    } finally {
      await owner.stop();
    }
  }, 60_000);

  it("says clearly when the port is taken by something else", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const net = await import("node:net");
    const srv = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => srv.once("listening", r));
    const port = (srv.address() as { port: number }).port;
    try {
      await expect(startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port, database: "x", log: () => {} })).rejects.toThrow(/Port \d+ is taken.*LEADFLOW_PG_PORT/s);
    } finally {
      srv.close();
    }
  });
});
