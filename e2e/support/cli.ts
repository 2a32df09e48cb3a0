import { execFileSync } from "node:child_process";

/** The admin CLI, as an operator runs it (`npm run --silent cli -- … --json`). */
export function cli<T = Record<string, unknown>>(...args: string[]): T {
  const out = execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args, "--json"], {
    cwd: process.cwd(),
    env: process.env,
    encoding: "utf8",
  });
  return JSON.parse(out) as T;
}
