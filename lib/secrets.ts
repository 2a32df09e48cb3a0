import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { encryptionKeySetting, env } from "@/lib/env";

// Secrets kept in the database (Bitrix24 webhook URLs, later bot tokens) are sealed with AES-256-GCM
// (authenticated: a changed byte fails to open) under APP_ENCRYPTION_KEY. The tenant id is the
// additional data, so a sealed value copied into another tenant's row does not open there.
//
// Without APP_ENCRYPTION_KEY (a laptop with its own DATABASE_URL), a key is generated once and
// kept beside the demo's secrets in LEADFLOW_DATA_DIR, shared by the CLI, the web server and the
// worker started from the same directory — as the demo does for the embedded database.

const VERSION = "v1";
let cached: Buffer | null = null;

function keyFile(): string {
  return path.resolve(env.LEADFLOW_DATA_DIR, "app-encryption.key");
}

function loadKey(): Buffer {
  if (cached) return cached;
  const configured = encryptionKeySetting();
  if (configured) {
    const key = Buffer.from(configured, "base64");
    if (key.length !== 32) throw new Error("APP_ENCRYPTION_KEY must be 32 bytes, base64-encoded");
    return (cached = key);
  }
  const file = keyFile();
  try {
    cached = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // Exclusive create: of two processes starting together, one writes and both read its key.
      writeFileSync(file, randomBytes(32).toString("base64"), { flag: "wx", mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    cached = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  }
  if (cached.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key`);
  return cached;
}

/** Seal `plain` for one tenant: "v1.<base64url(iv | tag | ciphertext)>". */
export function seal(plain: string, tenantId: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", loadKey(), iv);
  cipher.setAAD(Buffer.from(tenantId));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url")}`;
}

/** Open a sealed value; throws when the key, the tenant or a byte differs. */
export function unseal(sealed: string, tenantId: string): string {
  const [version, data] = sealed.split(".");
  if (version !== VERSION || !data) throw new Error("unknown secret format");
  const raw = Buffer.from(data, "base64url");
  const decipher = createDecipheriv("aes-256-gcm", loadKey(), raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(tenantId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

/** SHA-256 hex of a token that is only ever compared, never read back. */
export function tokenHash(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether `token` hashes to `hash`, compared in constant time. */
export function tokenMatches(token: string, hash: string | null): boolean {
  const a = Buffer.from(tokenHash(token), "hex");
  const b = Buffer.from(hash ?? "", "hex");
  return b.length === a.length && timingSafeEqual(a, b);
}
