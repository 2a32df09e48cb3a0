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

const fieldValue = fc.oneof(
  fc.string({ maxLength: 60 }),
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

const randomFields = fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), fc.string({ maxLength: 12 })), fieldValue, { maxKeys: 12 });

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
