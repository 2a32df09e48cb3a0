import "server-only";
import { AppError } from "@/lib/errors";

/** Every body we accept is at most this big (the contract's 64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

export type BodyKind = "json" | "urlencoded" | "multipart";

export function bodyKind(contentType: string | null): BodyKind | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || type.endsWith("+json")) return "json";
  if (type === "application/x-www-form-urlencoded") return "urlencoded";
  if (type === "multipart/form-data") return "multipart";
  return null;
}

const tooLarge = () => new AppError("payload_too_large", `The body must be at most ${MAX_BODY_BYTES / 1024} KiB`);

/** Read the body, stopping as soon as it passes the limit (not after buffering it all). */
export async function readLimited(request: Request, limit = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

const strict = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * UTF-8 bytes → string, keeping every invalid byte as a lone low surrogate (U+DC80–U+DCFF, as
 * Python's "surrogateescape" does) instead of silently turning it into U+FFFD. The shared string
 * schema (`zText`) refuses lone surrogates, so a field with invalid bytes is a 400 naming that field,
 * and a field that honestly contains U+FFFD is still accepted. Overlong forms, encoded surrogates
 * and code points past U+10FFFF count as invalid (the Unicode standard's well-formed table).
 */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    // Slow path, only for bodies that are not valid UTF-8.
  }
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    let len = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b0 >= 0xc2 && b0 <= 0xdf) len = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      len = 3;
      if (b0 === 0xe0) lo = 0xa0; // overlong
      if (b0 === 0xed) hi = 0x9f; // UTF-16 surrogates encoded in UTF-8
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      len = 4;
      if (b0 === 0xf0) lo = 0x90; // overlong
      if (b0 === 0xf4) hi = 0x8f; // past U+10FFFF
    }
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) {
      const b = bytes[i + k]!;
      if (b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf)) ok = false;
    }
    if (!ok) {
      out += String.fromCharCode(0xdc00 | b0);
      i++;
      continue;
    }
    out += strict.decode(bytes.subarray(i, i + len));
    i += len;
  }
  return out;
}

/** A body's leading UTF-8 byte-order mark is not content (some Windows tools write one). */
function withoutBom(bytes: Uint8Array): Uint8Array {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** One `application/x-www-form-urlencoded` name or value: `+` and `%XX` to bytes, then UTF-8. */
function formDecode(bytes: Uint8Array, start: number, end: number): string {
  const out = new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c === 0x2b) out[n++] = 0x20;
    else if (c === 0x25 && i + 2 < end && hexValue(bytes[i + 1]!) >= 0 && hexValue(bytes[i + 2]!) >= 0) {
      out[n++] = hexValue(bytes[i + 1]!) * 16 + hexValue(bytes[i + 2]!);
      i += 2;
    } else out[n++] = c;
  }
  return decodeUtf8(out.subarray(0, n));
}

/**
 * The WHATWG urlencoded parser, on bytes: like `URLSearchParams`, except that a percent-encoded
 * invalid UTF-8 sequence (`%C0%AF`, `%FF`) is kept visible to validation instead of becoming U+FFFD.
 */
export function parseUrlEncoded(bytes: Uint8Array): [string, string][] {
  const pairs: [string, string][] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x26) continue;
    if (i > start) {
      let eq = start;
      while (eq < i && bytes[eq] !== 0x3d) eq++;
      pairs.push([formDecode(bytes, start, eq), eq < i ? formDecode(bytes, eq + 1, i) : ""]);
    }
    start = i + 1;
  }
  return pairs;
}

/**
 * A multipart text part that the platform's parser decoded with U+FFFD replacements: if the body
 * does not hold that text's exact UTF-8 bytes, the replacement stood for invalid bytes. Mark it
 * with a lone surrogate so the shared string schema refuses it (a field that honestly contains
 * U+FFFD is found in the body as sent, and accepted).
 */
function markReplaced(value: string, body: Buffer): string {
  if (!value.includes("\uFFFD") || body.includes(Buffer.from(value, "utf8"))) return value;
  return value.replaceAll("\uFFFD", "\uDCFF");
}

function formToFields(form: Iterable<[string, FormDataEntryValue]>, body?: Buffer): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const [rawKey, v] of form) {
    const k = body ? markReplaced(rawKey, body) : rawKey;
    if (UNSAFE_KEYS.has(k)) continue;
    // A file input keeps the lead: the salesperson sees that a file was attached (files are not stored).
    const value = typeof v === "string" ? (body ? markReplaced(v, body) : v) : `[file: ${v.name || "unnamed"}, ${v.size} bytes, not stored]`;
    if (k in out) {
      // Repeated names (checkboxes): join, so nothing the visitor chose is dropped.
      out[k] = `${String(out[k])}, ${value}`;
    } else out[k] = value;
  }
  return { ...out };
}

/** A JSON body as a value; `invalid_json` when it does not parse. */
export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(decodeUtf8(withoutBom(bytes)));
  } catch {
    throw new AppError("invalid_json", "The body is not valid JSON");
  }
}

/** Body bytes → flat fields. Malformed input is a 400 naming what is wrong, never a 500. */
export async function parseFields(kind: BodyKind, bytes: Uint8Array, contentType: string): Promise<Record<string, unknown>> {
  if (kind === "json") {
    const value = parseJson(bytes);
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new AppError("validation_error", "The body must be a JSON object", { issues: [{ path: "(root)", message: "must be an object" }] });
    }
    return value as Record<string, unknown>;
  }
  if (kind === "urlencoded") return formToFields(parseUrlEncoded(withoutBom(bytes)));
  try {
    const form = await new Response(bytes as BodyInit, { headers: { "content-type": contentType } }).formData();
    return formToFields(form, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    throw new AppError("validation_error", "The multipart body is malformed", { issues: [{ path: "(root)", message: "malformed multipart/form-data" }] });
  }
}
