import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { isStorableText, UNSTORABLE_TEXT, zText } from "./common";

/** The contract's named intake fields; anything else is a custom field. */
export const INTAKE_FIELDS = [
  "name",
  "email",
  "phone",
  "company",
  "message",
  "form",
  "pageUrl",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "consent",
] as const;
export const HONEYPOT_FIELD = "_gotcha";
export const MAX_CUSTOM_FIELDS = 50;
export const MAX_CUSTOM_VALUE = 2000;

/** Fields the transport adds that are not the lead's (the key in a form's hidden input, etc.). */
const TRANSPORT_FIELDS = new Set(["key", "_key", "idempotencyKey", "_idempotency_key"]);

/** Phone → E.164 when it parses (default region RU), else the trimmed original; null when blank. */
export function normalisePhone(raw: string): { display: string; e164: string | null } {
  const trimmed = raw.trim().replace(/\s+/g, " ");
  const parsed = parsePhoneNumberFromString(trimmed, { defaultCountry: "RU" });
  if (parsed?.isValid()) return { display: parsed.number, e164: parsed.number };
  return { display: trimmed, e164: null };
}

const scalar = z.union([zText(), z.number(), z.boolean()]).transform((v) => String(v));
/** A text field: strings (numbers and booleans as text), trimmed, blank → null. `maxLength` is for OpenAPI. */
const text = (max: number, description?: string) =>
  scalar
    .pipe(zText().trim().max(max, `must be at most ${max} characters`))
    .transform((v) => (v === "" ? null : v))
    .nullish()
    .transform((v) => v ?? null)
    .meta({ maxLength: max, ...(description ? { description } : {}) });

const ZConsent = z
  .union([z.boolean(), zText(), z.number()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === "") return false;
    if (typeof v === "boolean") return v;
    const s = String(v).trim().toLowerCase();
    if (["true", "on", "1", "yes", "да"].includes(s)) return true;
    if (["false", "off", "0", "no", "нет"].includes(s)) return false;
    ctx.addIssue({ code: "custom", message: 'must be a boolean, "on" or "true"' });
    return z.NEVER;
  });

const ZIntakeEmail = text(254, "At least one of email, phone is required. Lower-cased.").pipe(
  zText()
    .toLowerCase()
    .pipe(z.email({ message: "must be a valid e-mail address" }))
    .nullable(),
);

const ZIntakePhone = text(40, "At least one of email, phone is required. Normalised to E.164 when it parses (default region RU).").transform((v, ctx) => {
  if (v === null) return null;
  const digits = v.replace(/\D/g, "");
  if (digits.length < 5 || digits.length > 16 || !/^[+\d\s().\-/]+$/.test(v)) {
    ctx.addIssue({ code: "custom", message: "must be a phone number" });
    return z.NEVER;
  }
  return normalisePhone(v);
});

/** A custom field's value (any field that is not one of `INTAKE_FIELDS`). */
export const ZCustomFieldValue = zText().max(MAX_CUSTOM_VALUE, `must be at most ${MAX_CUSTOM_VALUE} characters`);

/** The fields of a submission as they arrive (the wire shape, also what OpenAPI documents). */
export const ZIntakeFields = z.object({
    name: text(200),
    email: ZIntakeEmail,
    phone: ZIntakePhone,
    company: text(200),
    message: text(10_000),
    form: text(200, "Which form on the site"),
    pageUrl: text(2000),
    referrer: text(2000),
    utm_source: text(500),
    utm_medium: text(500),
    utm_campaign: text(500),
    utm_term: text(500),
    utm_content: text(500),
    consent: ZConsent.meta({ description: 'Personal-data consent: a boolean, "on" or "true"' }),
    [HONEYPOT_FIELD]: text(2000, "Honeypot: leave empty. When filled, the answer looks like success but the lead is stored as spam."),
    customFields: z
      .record(zText().max(100, "field names must be at most 100 characters"), ZCustomFieldValue)
      .refine((o) => Object.keys(o).length <= MAX_CUSTOM_FIELDS, `at most ${MAX_CUSTOM_FIELDS} custom fields`)
      .default({}),
  });

/** One schema for a lead arriving from outside (intake route, email and Telegram channels). */
export const ZIntakeSchema = ZIntakeFields
  .superRefine((v, ctx) => {
    if (!v.email && !v.phone) {
      ctx.addIssue({ code: "custom", path: ["email"], message: "email or phone is required" });
      ctx.addIssue({ code: "custom", path: ["phone"], message: "email or phone is required" });
    }
  })
  .transform((v) => ({
    name: v.name,
    email: v.email,
    phone: v.phone?.display ?? null,
    phoneE164: v.phone?.e164 ?? null,
    company: v.company,
    message: v.message,
    form: v.form,
    pageUrl: v.pageUrl,
    referrer: v.referrer,
    utm: { source: v.utm_source, medium: v.utm_medium, campaign: v.utm_campaign, term: v.utm_term, content: v.utm_content },
    consent: v.consent,
    honeypot: v[HONEYPOT_FIELD],
    customFields: v.customFields,
  }));

export type TIntake = z.output<typeof ZIntakeSchema>;

/**
 * Flat submitted fields (JSON object or form) → the schema's input: named fields stay, the rest
 * become custom fields (stringified), whose limits the schema checks by name.
 */
export function splitFields(fields: Record<string, unknown>): Record<string, unknown> {
  const known = new Set<string>([...INTAKE_FIELDS, HONEYPOT_FIELD]);
  const out: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === "__proto__" || k === "constructor" || k === "prototype") continue; // never a real form field
    if (known.has(k)) out[k] = v;
    else if (k === "customFields" && v && typeof v === "object" && !Array.isArray(v)) {
      for (const [ck, cv] of Object.entries(v as Record<string, unknown>)) if (ck !== "__proto__") custom[ck] = stringify(cv, ck);
    } else if (!TRANSPORT_FIELDS.has(k)) custom[k] = stringify(v, k);
  }
  out.customFields = custom;
  return out;
}

const MAX_NESTING = 32;

/**
 * A custom field's value as text. Objects and arrays are kept as their JSON, after a walk (not
 * recursion: 64 KiB of brackets nest 30 000 deep) that refuses deep nesting and, inside, text
 * Postgres cannot store — JSON.stringify would otherwise turn "\u0000" back into a harmless escape.
 */
function stringify(v: unknown, key: string): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  const invalid = (message: string) => new AppError("validation_error", "Some fields are invalid", { issues: [{ path: `customFields.${key}`, message }] });
  const stack: [unknown, number][] = [[v, 1]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node === "string") {
      if (!isStorableText(node)) throw invalid(UNSTORABLE_TEXT);
    } else if (node && typeof node === "object") {
      if (depth > MAX_NESTING) throw invalid(`must not nest deeper than ${MAX_NESTING} levels`);
      for (const [k, child] of Object.entries(node)) {
        if (!isStorableText(k)) throw invalid(UNSTORABLE_TEXT);
        stack.push([child, depth + 1]);
      }
    }
  }
  return JSON.stringify(v);
}

/** The contract's `Idempotency-Key` header. */
export const ZIdempotencyKey = zText().min(1, "must not be empty").max(255, "must be at most 255 characters");
