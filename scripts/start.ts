// `npm start`: the whole product on one machine (see the contract). Ctrl-C stops everything.
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "./_db";
import { boot } from "./boot";
import { exited, next, waitForHealth } from "./_next";

const dev = process.argv.includes("--dev");
const PORT = Number(process.env.PORT || 3000);
const BUILD_STAMP = path.join(ROOT, ".next/LEADFLOW_BUILD");
const SOURCES = ["app", "components", "lib", "db", "messages", "proxy.ts", "next.config.mjs", "tailwind.config.ts", "postcss.config.mjs", "package.json", "tsconfig.json"];

async function sourceHash(): Promise<string> {
  const h = createHash("sha256");
  async function walk(p: string): Promise<void> {
    const s = await stat(p).catch(() => null);
    if (!s) return;
    if (s.isDirectory()) {
      for (const e of (await readdir(p)).sort()) if (e !== "node_modules" && !e.endsWith(".test.ts")) await walk(path.join(p, e));
    } else {
      h.update(path.relative(ROOT, p));
      h.update(await readFile(p));
    }
  }
  for (const s of SOURCES) await walk(path.join(ROOT, s));
  return h.digest("hex");
}

let stopDatabase: (() => Promise<void>) | undefined;

async function main() {
  const t0 = Date.now();
  const b = await boot();
  stopDatabase = b.stop;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: b.url,
    AUTH_SECRET: b.secrets.AUTH_SECRET || process.env.AUTH_SECRET,
    APP_ENCRYPTION_KEY: b.secrets.APP_ENCRYPTION_KEY || process.env.APP_ENCRYPTION_KEY,
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(PORT),
  };

  // The job worker runs in this process; the web server is a child.
  const { startWorker } = await import("../lib/jobs/worker");
  const worker = await startWorker();

  const children: ChildProcess[] = [];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping LeadFlow …");
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode) return resolve();
            c.once("exit", () => resolve());
            c.kill("SIGTERM");
            setTimeout(() => c.kill("SIGKILL"), 8000).unref();
          }),
      ),
    );
    await worker.stop().catch(() => {});
    await b.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));

  if (!dev) {
    const hash = await sourceHash();
    const stamp = await readFile(BUILD_STAMP, "utf8").catch(() => "");
    if (!existsSync(path.join(ROOT, ".next/BUILD_ID")) || stamp !== hash) {
      console.log("[build] Building the web app (first run or changed sources) …");
      const build = next(["build"], { ...env, NODE_ENV: "production" });
      children.push(build);
      const code = await exited(build);
      children.pop();
      if (code !== 0) throw new Error("next build failed");
      await writeFile(BUILD_STAMP, hash);
    }
  }
  const web = next(dev ? ["dev", "-p", String(PORT)] : ["start", "-p", String(PORT)], { ...env, NODE_ENV: dev ? "development" : "production" });
  children.push(web);
  web.on("exit", (code) => {
    if (!stopping) {
      console.error(`The web server stopped (code ${code}).`);
      void stop(code ?? 1);
    }
  });
  const base = `http://localhost:${PORT}`;
  await waitForHealth(base, web);

  const { DEMO } = await import("../db/seed");
  const key = b.demoKeys?.secretKey ?? "sk_…(see .data/demo-keys.json)";
  console.log(`
LeadFlow is running at ${base}   (ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; Ctrl-C stops it)
Database: ${b.embedded ? "embedded Postgres (data in .data/pg)" : "DATABASE_URL"}

Demo logins (password: ${DEMO.password})
  owner    ${DEMO.owner}
  manager  ${DEMO.manager}
  sales    ${DEMO.sales.join(", ")}
  second tenant owner: ${DEMO.second.owner}

Send a lead:
  curl -i ${base}/api/intake \\
    -H 'Authorization: Bearer ${key}' \\
    -H 'Content-Type: application/json' \\
    -d '{"name":"Иван Петров","email":"ivan@example.ru","phone":"+7 916 123-45-67","message":"Нужен сайт"}'
`);
}

main().catch(async (e) => {
  console.error(`\nLeadFlow could not start: ${e instanceof Error ? e.message : String(e)}`);
  await stopDatabase?.().catch(() => {});
  process.exit(1);
});
