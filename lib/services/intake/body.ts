import "server-only";
import { AppError } from "@/lib/errors";
import { MAX_BODY_BYTES } from "@/lib/validators/intake";

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

const decoder = new TextDecoder("utf-8", { fatal: false });

const UNSAFE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function formToFields(form: Iterable<[string, FormDataEntryValue]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of form) {
    if (UNSAFE_KEYS.has(k)) continue;
    // A file input keeps the lead: the salesperson sees that a file was attached (files are not stored).
    const value = typeof v === "string" ? v : `[file: ${v.name || "unnamed"}, ${v.size} bytes, not stored]`;
    if (k in out) {
      // Repeated names (checkboxes): join, so nothing the visitor chose is dropped.
      out[k] = `${String(out[k])}, ${value}`;
    } else out[k] = value;
  }
  return out;
}

/** Body bytes → flat fields. Malformed input is a 400 naming what is wrong, never a 500. */
export async function parseFields(kind: BodyKind, bytes: Uint8Array, contentType: string): Promise<Record<string, unknown>> {
  if (kind === "json") {
    let value: unknown;
    try {
      value = JSON.parse(decoder.decode(bytes));
    } catch {
      throw new AppError("invalid_json", "The body is not valid JSON");
    }
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new AppError("validation_error", "The body must be a JSON object", { issues: [{ path: "(root)", message: "must be an object" }] });
    }
    return value as Record<string, unknown>;
  }
  if (kind === "urlencoded") return formToFields(new URLSearchParams(decoder.decode(bytes)));
  try {
    const form = await new Response(bytes as BodyInit, { headers: { "content-type": contentType } }).formData();
    return formToFields(form);
  } catch {
    throw new AppError("validation_error", "The multipart body is malformed", { issues: [{ path: "(root)", message: "malformed multipart/form-data" }] });
  }
}
