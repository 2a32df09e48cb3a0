import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { KeyKind } from "@/db/schema";

/** "pk_" + 9 characters: enough to find the row, useless without the rest. */
export const KEY_PREFIX_LENGTH = 12;

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export type NewKey = { key: string; prefix: string; hash: string };

export function generateKey(kind: KeyKind): NewKey {
  const key = `${kind === "public" ? "pk" : "sk"}_${randomBytes(24).toString("base64url")}`;
  return { key, prefix: key.slice(0, KEY_PREFIX_LENGTH), hash: sha256(key) };
}

export function keyKindOf(key: string): KeyKind | null {
  if (/^pk_[A-Za-z0-9_-]{32}$/.test(key)) return "public";
  if (/^sk_[A-Za-z0-9_-]{32}$/.test(key)) return "secret";
  return null;
}

/** The row to store for a new key: public keys are kept as they are (see `siteKeys`), secret ones only hashed. */
export function keyRow(kind: KeyKind, k: NewKey): { kind: KeyKind; prefix: string; hash: string; key: string | null } {
  return { kind, prefix: k.prefix, hash: k.hash, key: kind === "public" ? k.key : null };
}
