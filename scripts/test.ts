// `npm test`: typecheck, lint, unit + integration (real Postgres), build, e2e (real Chromium).
// Uses DATABASE_URL when set (CI points it at a fresh database), else a throw-away embedded Postgres.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { resolveDatabase, ROOT } from "./_db";

type Step = { name: string; cmd: string[]; skipIfFailed?: string[] };

const bin = (p: string) => path.join(ROOT, "node_modules", p);

function run(step: Step, env: NodeJS.ProcessEnv): Promise<{ ok: boolean; ms: number }> {
  const t0 = Date.now();
  console.log(`\n━━ ${step.name} ━━ ${step.cmd.join(" ").replace(ROOT + "/", "")}`);
  return new Promise((resolve) => {
    const [cmd, ...args] = step.cmd;
    const child = spawn(cmd!, args, { cwd: ROOT, env, stdio: "inherit" });
    child.on("exit", (code) => resolve({ ok: code === 0, ms: Date.now() - t0 }));
    child.on("error", () => resolve({ ok: false, ms: Date.now() - t0 }));
  });
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  return readFile(path.join(ROOT, file), "utf8").then((s) => JSON.parse(s), () => null);
}

async function main(): Promise<number> {
  const only = process.argv.slice(2); // e.g. `npm test -- unit e2e`
  const db = await resolveDatabase({ migrate: true, throwaway: { database: "leadflow_test" }, localOnly: true });
  const url = db.url;
  console.log(db.embedded ? `Using a throw-away embedded Postgres (${url.replace(/:[^:@/]+@/, ":***@")}).` : "Using DATABASE_URL.");

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    AUTH_SECRET: process.env.AUTH_SECRET || randomBytes(32).toString("base64url"),
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY || randomBytes(32).toString("base64"),
    NEXT_TELEMETRY_DISABLED: "1",
  };
  await rm(path.join(ROOT, "test-results"), { recursive: true, force: true });
  await mkdir(path.join(ROOT, "test-results"), { recursive: true });

  const node = process.execPath;
  const steps: Step[] = [
    { name: "typecheck", cmd: [node, bin("typescript/bin/tsc"), "--noEmit"] },
    { name: "lint", cmd: [node, bin("eslint/bin/eslint.js"), "--max-warnings=0", "."] },
    // The build comes first: the HTTP integration tests and e2e run against it.
    { name: "build", cmd: [node, bin("next/dist/bin/next"), "build"] },
    { name: "unit", cmd: [node, bin("vitest/vitest.mjs"), "run", "--reporter=default", "--reporter=json", "--outputFile=test-results/unit.json"] },
    { name: "e2e", cmd: [node, bin("@playwright/test/cli.js"), "test"], skipIfFailed: ["build"] },
  ].filter((s) => only.length === 0 || only.includes(s.name) || (s.name === "build" && (only.includes("e2e") || only.includes("unit"))));

  const results: Record<string, { ok: boolean; ms: number } | "skipped"> = {};
  try {
    for (const step of steps) {
      if (step.skipIfFailed?.some((d) => results[d] !== undefined && results[d] !== "skipped" && !results[d].ok)) {
        results[step.name] = "skipped";
        continue;
      }
      results[step.name] = await run(step, env);
    }
  } finally {
    await db.stop();
  }

  // One summary: the test counts from both runners, then each step.
  const unit = await readJson("test-results/unit.json");
  const e2e = (await readJson("test-results/e2e.json"))?.stats as Record<string, number> | undefined;
  const passed = Number(unit?.numPassedTests ?? 0) + Number(e2e?.expected ?? 0) + Number(e2e?.flaky ?? 0);
  const failed = Number(unit?.numFailedTests ?? 0) + Number(e2e?.unexpected ?? 0);
  const skipped = Number(unit?.numPendingTests ?? 0) + Number(unit?.numTodoTests ?? 0) + Number(e2e?.skipped ?? 0);
  console.log("\n━━ summary ━━");
  for (const [name, r] of Object.entries(results)) {
    console.log(`  ${r === "skipped" ? "–" : r.ok ? "✓" : "✗"} ${name}${r === "skipped" ? " (skipped: build failed)" : ` (${(r.ms / 1000).toFixed(1)} s)`}`);
  }
  const stepFailures = Object.values(results).filter((r) => r === "skipped" || !r.ok).length;
  console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  return stepFailures === 0 && failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exit(1);
  },
);
