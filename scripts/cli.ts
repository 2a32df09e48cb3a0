// Admin CLI: `npm run --silent cli -- <command> [--json]` (see lib/cli/run.ts and the contract).
import { resolveDatabase } from "./_db";

const argv = process.argv.slice(2);
const json = argv.includes("--json");

async function main(): Promise<number> {
  const { runCommand, renderHuman, errorJson, USAGE } = await import("../lib/cli/run");
  if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return argv.length === 0 ? 1 : 0;
  }
  // stdout carries only the result; anything the database says goes to stderr.
  const db = await resolveDatabase({ migrate: !process.env.DATABASE_URL, log: (l) => console.error(l) });
  const { closeDb } = await import("../db/index");
  try {
    const result = await runCommand(argv);
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${renderHuman(result)}\n`);
    return 0;
  } catch (e) {
    const out = errorJson(e);
    if (out.error.code === "internal_error") console.error(e);
    if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
    else console.error(`Error (${out.error.code}): ${out.error.message}`);
    return out.error.code === "validation_error" ? 2 : 1;
  } finally {
    await closeDb();
    await db.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    const message = e instanceof Error ? e.message : String(e);
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: "unavailable", message } })}\n`);
    else console.error(message);
    process.exit(1);
  },
);
