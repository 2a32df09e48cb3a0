import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { withTenant } from "@/db/tenant";
import { serverUrl } from "@/test/http";
import { makeSite, makeTenant } from "@/test/factories";

// Property: whatever arrives — random and malformed bodies, headers and content types — the
// intake endpoint never answers 5xx, and never leaves a lead without contact or timeline.

let base = "";
let T: Awaited<ReturnType<typeof makeTenant>>;
let site: Awaited<ReturnType<typeof makeSite>>;

beforeAll(async () => {
  base = serverUrl();
  T = await makeTenant("prop");
  site = await makeSite(T.tenantId);
});
afterAll(() => closeDb());

const FIELD_NAMES = ["name", "email", "phone", "company", "message", "form", "pageUrl", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "consent", "_gotcha", "customFields", "__proto__", "constructor", "key"];

/**
 * Text Postgres cannot store, or that is not valid Unicode, as a JS string (NUL; lone high or low
 * surrogates, alone, doubled or reversed) — what a JSON escape like "\u0000" or "\ud800" yields.
 */
const unstorableString = fc
  .tuple(
    fc.string({ maxLength: 8 }),
    fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\udc00\ud800", "\ud800\ud800", "\u0000\u0000"),
    fc.string({ maxLength: 8 }),
  )
  .map(([a, bad, b]) => a + bad + b);

/** Byte sequences that are not UTF-8: stray continuation and lead bytes, overlong forms, encoded surrogates, past U+10FFFF, truncated. */
const invalidUtf8 = fc.constantFrom(
  [0x80], [0xbf], [0xff], [0xfe], [0xc0, 0x80], [0xc0, 0xaf], [0xc1, 0xbf], [0xe0, 0x80, 0xaf], [0xf0, 0x80, 0x80, 0xaf],
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x00],
);
/** Some text with invalid UTF-8 bytes (or a NUL byte) inside. */
const poisonedBytes = fc
  .tuple(fc.stringMatching(/^[a-zа-я0-9 ]{0,6}$/), invalidUtf8, fc.stringMatching(/^[a-zа-я0-9 ]{0,6}$/))
  .map(([a, bad, b]) => Buffer.concat([Buffer.from(a), Buffer.from(bad), Buffer.from(b)]));

const fieldValue = fc.oneof(
  fc.string({ maxLength: 60 }),
  unstorableString,
  fc.emailAddress(),
  fc.constantFrom("+7 916 123-45-67", "8 (800) 555-35-35", "12345", "+", "", " ", "on", "true", "null"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.string({ minLength: 1990, maxLength: 2100 }),
);

const randomFields = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 }), unstorableString), fieldValue, { maxKeys: 12 });

// Plausible leads too, so the valid path is exercised as hard as the invalid ones.
const plausible = fc
  .record({
    email: fc.option(fc.stringMatching(/^[a-z0-9._-]{1,12}$/).map((l) => `${l.replace(/^[._-]+|[._-]+$/g, "") || "x"}@example.ru`), { nil: undefined }),
    phone: fc.option(fc.constantFrom("+7 916 123-45-67", "89031112233", "+1 415 555 2671", "12345"), { nil: undefined }),
    name: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    message: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
    consent: fc.option(fc.constantFrom("on", "true", true, false), { nil: undefined }),
  })
  .chain((lead) => randomFields.map((extra) => ({ ...extra, ...Object.fromEntries(Object.entries(lead).filter(([, v]) => v !== undefined)) })));

const leadish = fc.oneof(randomFields, plausible);

type Req = { contentType: string | null; body: BodyInit | null; headers: Record<string, string> };

const request: fc.Arbitrary<Req> = fc
  .record({
    shape: fc.constantFrom("json", "json-raw", "urlencoded", "multipart", "text", "weird-type", "none"),
    fields: leadish,
    raw: fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue().map((v) => JSON.stringify(v) ?? "")),
    auth: fc.constantFrom("secret", "public", "public-bad-origin", "garbage", "missing"),
    idem: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 250, maxLength: 300 })), { nil: undefined }),
    accept: fc.constantFrom(undefined, "application/json", "text/html", "*/*"),
  })
  .map(({ shape, fields, raw, auth, idem, accept }) => {
    const headers: Record<string, string> = { "x-forwarded-for": `192.0.2.${(Math.random() * 250) | 0}` };
    if (auth === "secret") headers.authorization = `Bearer ${site.secretKey}`;
    if (auth === "public") Object.assign(headers, { "x-api-key": site.publicKey, origin: "https://example.ru" });
    if (auth === "public-bad-origin") Object.assign(headers, { "x-api-key": site.publicKey, origin: "https://evil.example" });
    if (auth === "garbage") headers.authorization = `Bearer ${raw.slice(0, 40).replace(/[^\x21-\x7e]/g, "") || "x"}`;
    if (idem !== undefined) headers["idempotency-key"] = encodeURIComponent(idem).slice(0, 300) || "k";
    if (accept) headers.accept = accept;
    const flat = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v) ?? ""]));
    switch (shape) {
      case "json":
        return { contentType: "application/json", body: JSON.stringify(fields), headers };
      case "json-raw":
        return { contentType: "application/json", body: raw, headers };
      case "urlencoded":
        return { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams(flat).toString(), headers };
      case "multipart": {
        const fd = new FormData();
        for (const [k, v] of Object.entries(flat)) fd.append(k, v);
        return { contentType: null, body: fd, headers };
      }
      case "text":
        return { contentType: "text/plain", body: raw, headers };
      case "weird-type":
        return { contentType: `multipart/form-data; boundary=${raw.slice(0, 10).replace(/[^\x21-\x7e]/g, "") || "x"}`, body: raw, headers };
      default:
        return { contentType: null, body: raw, headers };
    }
  });

// Property: text Postgres cannot store, in any field, custom field value or custom field name and in
// every body type, is a 400 validation_error that names the field, and stores nothing.
const NAMED_TEXT = ["name", "company", "message", "form", "pageUrl", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "email", "phone", "consent"] as const;
const poisoned = fc.record({
  body: fc.constantFrom("json", "json-bytes", "urlencoded", "urlencoded-bytes", "multipart", "multipart-bytes"),
  where: fc.constantFrom("named", "custom-value", "custom-key", "nested-custom"),
  named: fc.constantFrom(...NAMED_TEXT),
  customKey: fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/).filter((k) => !(NAMED_TEXT as readonly string[]).includes(k) && !["key", "customFields", "constructor", "prototype"].includes(k)),
  text: unstorableString,
  bytes: poisonedBytes,
});

/** `jsonControl`: a raw control byte inside a JSON string, which JSON itself forbids (invalid_json). */
type Poisoned = { body: BodyInit; contentType: string | null; path: string | RegExp; needsBytes: boolean; jsonControl?: boolean };

type PoisonedCase = typeof poisoned extends fc.Arbitrary<infer T> ? T : never;

function buildPoisoned(p: PoisonedCase): Poisoned {
  const email = `p${Math.random().toString(36).slice(2, 10)}@example.ru`;
  const useBytes = p.body.endsWith("-bytes");
  // Where the bad text goes, and which issue path must name it.
  const nested = p.where === "nested-custom" && p.body.startsWith("json");
  const keyIsBad = p.where === "custom-key";
  const fieldName = p.where === "named" ? (p.named === "email" ? "email" : p.named) : p.customKey;
  const path: string | RegExp = p.where === "named" ? p.named : keyIsBad ? /^customFields\./ : `customFields.${p.customKey}`;
  const base: Record<string, string> = p.named === "email" && p.where === "named" ? { phone: "+7 916 123-45-67" } : { email };
  const marker = "\u0001MARK\u0001";
  if (p.body.startsWith("json")) {
    const fields: Record<string, unknown> = { ...base };
    const value = useBytes ? marker : p.text;
    if (nested) fields.customFields = { [p.customKey]: value };
    else if (keyIsBad) fields[useBytes ? marker : p.text] = "v";
    else fields[fieldName] = value;
    const json = JSON.stringify(fields);
    if (!useBytes) return { body: json, contentType: "application/json", path, needsBytes: false };
    const [before, after] = JSON.stringify(fields).split(JSON.stringify(marker).slice(1, -1));
    const body = Buffer.concat([Buffer.from(before!), p.bytes, Buffer.from(after!)]);
    return { body: body as unknown as BodyInit, contentType: "application/json", path, needsBytes: true, jsonControl: p.bytes.some((b) => b < 0x20) };
  }
  const name = keyIsBad ? null : fieldName;
  if (p.body.startsWith("urlencoded")) {
    const enc = (b: Buffer) => [...b].map((x) => `%${x.toString(16).padStart(2, "0")}`).join("");
    const badPart = useBytes ? (Math.random() < 0.5 ? enc(p.bytes) : p.bytes.toString("latin1")) : encodeURIComponent(p.text.replace(/[\ud800-\udfff]/g, "\u0000"));
    const pairs = [...Object.entries(base).map(([k, v]) => `${k}=${encodeURIComponent(v)}`), name ? `${name}=${badPart}` : `${badPart}=v`];
    const body = pairs.join("&");
    return { body: (useBytes ? Buffer.from(body, "latin1") : body) as unknown as BodyInit, contentType: "application/x-www-form-urlencoded", path, needsBytes: useBytes };
  }
  const boundary = "----lfprop" + Math.random().toString(16).slice(2);
  const part = (n: Buffer, v: Buffer) => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="`), n, Buffer.from('"\r\n\r\n'), v, Buffer.from("\r\n")]);
  // A lone surrogate has no UTF-8 form a client could send; as text, multipart carries the NUL.
  const bad = useBytes ? p.bytes : Buffer.from(p.text.replace(/[\ud800-\udfff]/g, "\u0000"));
  const parts = [...Object.entries(base).map(([k, v]) => part(Buffer.from(k), Buffer.from(v))), name ? part(Buffer.from(name), bad) : part(bad.includes(0x22) ? Buffer.from("x\u0000") : bad, Buffer.from("v"))];
  const body = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
  return { body: body as unknown as BodyInit, contentType: `multipart/form-data; boundary=${boundary}`, path, needsBytes: true };
}

describe("POST /api/intake, property-based: text Postgres cannot store", () => {
  it("is a 400 validation_error naming the field, in every body type and position, and stores nothing", async () => {
    const [before] = (await withTenant(T.tenantId, (tx) => tx.execute(sql`select count(*)::int as n from leads`))) as unknown as { n: number }[];
    await fc.assert(
      fc.asyncProperty(poisoned, async (p) => {
        const req = buildPoisoned(p);
        const res = await fetch(`${base}/api/intake`, {
          method: "POST",
          body: req.body,
          headers: { authorization: `Bearer ${site.secretKey}`, accept: "application/json", "x-forwarded-for": "192.0.2.77", ...(req.contentType ? { "content-type": req.contentType } : {}) },
        });
        const text = await res.text();
        expect(res.status, `${JSON.stringify(p)} → ${text}`).toBe(400);
        const error = JSON.parse(text).error;
        if (req.jsonControl) {
          expect(error.code).toBe("invalid_json");
          return;
        }
        expect(error.code).toBe("validation_error");
        const paths: string[] = error.issues.map((i: { path: string }) => i.path);
        expect(paths.some((x) => (typeof req.path === "string" ? x === req.path : req.path.test(x))), `${JSON.stringify(p)} → ${text}`).toBe(true);
      }),
      { numRuns: 200 },
    );
    const [after] = (await withTenant(T.tenantId, (tx) => tx.execute(sql`select count(*)::int as n from leads`))) as unknown as { n: number }[];
    expect(after!.n).toBe(before!.n);
  }, 120_000);
});

describe("POST /api/intake, property-based", () => {
  it("never answers 5xx, whatever the body, headers and content type", async () => {
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const headers = { ...req.headers, ...(req.contentType ? { "content-type": req.contentType } : {}) };
        const res = await fetch(`${base}/api/intake`, { method: "POST", body: req.body, headers, redirect: "manual" });
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${res.status}: ${text}`);
        if (res.status >= 400) {
          const body = JSON.parse(text);
          expect(body.error.code).toMatch(/^[a-z_]+$/);
          expect(typeof body.error.message).toBe("string");
        }
      }),
      { numRuns: 250 },
    );
  }, 120_000);

  it("left no lead without e-mail and phone, and none without its timeline event", async () => {
    const [r] = (await withTenant(T.tenantId, (tx) =>
      tx.execute(sql`select count(*)::int as total,
        count(*) filter (where email is null and phone is null)::int as no_contact,
        count(*) filter (where not exists (select 1 from lead_events e where e.lead_id = leads.id and e.type = 'created'))::int as no_event
        from leads`),
    )) as unknown as { total: number; no_contact: number; no_event: number }[];
    expect(r!.total).toBeGreaterThan(0); // the generator does produce valid leads
    expect(r!.no_contact).toBe(0);
    expect(r!.no_event).toBe(0);
  });
});
