// The boot path of `npm start`, separate so a test can run it on an empty embedded database.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { dataDir as defaultDataDir, resolveDatabase, type ResolvedDb } from "./_db";

export type DemoKeys = { publicKey: string; secretKey: string };

export type BootResult = ResolvedDb & {
  seeded: boolean;
  demoKeys: DemoKeys | null;
  secrets: { AUTH_SECRET: string; APP_ENCRYPTION_KEY: string };
};

/** Secrets for the zero-setup demo: generated once, kept under .data/ (never used when given). */
async function demoSecrets(dataDir: string): Promise<BootResult["secrets"]> {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<BootResult["secrets"]> = {};
  try {
    stored = JSON.parse(await readFile(file, "utf8"));
  } catch {
    /* first run */
  }
  const secrets = {
    AUTH_SECRET: process.env.AUTH_SECRET || stored.AUTH_SECRET || randomBytes(32).toString("base64url"),
    APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY || stored.APP_ENCRYPTION_KEY || randomBytes(32).toString("base64"),
  };
  if (!stored.AUTH_SECRET || !stored.APP_ENCRYPTION_KEY) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify({ ...stored, ...secrets }, null, 2), { mode: 0o600 });
  }
  return secrets;
}

export async function boot(opts: { dataDir?: string; log?: (l: string) => void; seed?: boolean } = {}): Promise<BootResult> {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const log = opts.log ?? ((l: string) => console.log(l));
  const db = await resolveDatabase({ migrate: true, log });
  const secrets = db.embedded ? await demoSecrets(dataDir) : { AUTH_SECRET: process.env.AUTH_SECRET ?? "", APP_ENCRYPTION_KEY: process.env.APP_ENCRYPTION_KEY ?? "" };
  process.env.AUTH_SECRET ||= secrets.AUTH_SECRET;
  process.env.APP_ENCRYPTION_KEY ||= secrets.APP_ENCRYPTION_KEY;

  const { isSeeded, seedDemo } = await import("../db/seed");
  const keysFile = path.join(dataDir, "demo-keys.json");
  let seeded = false;
  let demoKeys: DemoKeys | null = null;
  if (opts.seed !== false && process.env.LEADFLOW_SEED_DEMO !== "0" && !(await isSeeded())) {
    log("[seed] Creating the demo tenants, team and 90 days of leads …");
    const t0 = Date.now();
    const result = await seedDemo();
    demoKeys = { publicKey: result.publicKey, secretKey: result.secretKey };
    await mkdir(dataDir, { recursive: true });
    await writeFile(keysFile, JSON.stringify(demoKeys, null, 2), { mode: 0o600 });
    log(`[seed] ${result.leads} leads in ${Date.now() - t0} ms.`);
    seeded = true;
  } else {
    demoKeys = await readFile(keysFile, "utf8").then((s) => JSON.parse(s) as DemoKeys).catch(() => null);
  }
  return { ...db, seeded, demoKeys, secrets };
}
