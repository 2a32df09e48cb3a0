// Running the Next.js CLI from scripts and tests: one way to build, start and wait for health.
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import path from "node:path";
import { ROOT } from "./_db";

export const NEXT_BIN = path.join(ROOT, "node_modules/next/dist/bin/next");

/** `next <args>` as a child of this process (by PID, so stopping it stops the server). */
export function next(args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions = "inherit"): ChildProcess {
  return spawn(process.execPath, [NEXT_BIN, ...args], { cwd: ROOT, env: { NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio });
}

export function exited(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code ?? 1));
  });
}

/** Poll `/api/health` until it answers 200; fail fast when the server exits instead. */
export async function waitForHealth(baseUrl: string, child: ChildProcess, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the web server exited with code ${child.exitCode}`);
    if (await fetch(`${baseUrl}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the web server did not answer ${baseUrl}/api/health within ${ms / 1000} s`);
}

/** `next start` of the existing build on `port`, healthy. */
export async function startBuiltServer(port: number, env: NodeJS.ProcessEnv, stdio: StdioOptions = ["ignore", "ignore", "inherit"]) {
  const child = next(["start", "-p", String(port)], { ...env, NODE_ENV: "production" }, stdio);
  const url = `http://127.0.0.1:${port}`;
  await waitForHealth(url, child);
  return { url, child };
}
