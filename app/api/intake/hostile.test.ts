import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { archiveSite, createSiteTx } from "@/lib/services/sites";
import { serverUrl } from "@/test/http";
import { makeSite, makeTenant, uniq } from "@/test/factories";

// What an outside run found: text Postgres cannot store, Referer on JSON, 405 without the
// contract's error, and a keyless preflight that reflected any origin.

let base = "";
let T: Awaited<ReturnType<typeof makeTenant>>;
let site: Awaited<ReturnType<typeof makeSite>>;
const ORIGIN = "https://example.ru";
const ip = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}`;

beforeAll(async () => {
  base = serverUrl();
  T = await makeTenant("hostile");
  site = await makeSite(T.tenantId);
});
afterAll(() => closeDb());

async function leadCount(): Promise<number> {
  const [r] = await withTenant(T.tenantId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(leads));
  return r!.n;
}

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))));

function send(body: BodyInit | Buffer, contentType: string | null, extra: Record<string, string> = {}) {
  return fetch(`${base}/api/intake`, {
    method: "POST",
    body: body as BodyInit,
    headers: { authorization: `Bearer ${site.secretKey}`, accept: "application/json", "x-forwarded-for": ip(), ...(contentType ? { "content-type": contentType } : {}), ...extra },
    redirect: "manual",
  });
}

/** A multipart body by hand, so a part can carry any bytes at all. */
function multipart(parts: [name: string | Buffer, value: Buffer | string][]): { body: Buffer; type: string } {
  const boundary = `----lf${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of parts) {
    chunks.push(bytes(`--${boundary}\r\nContent-Disposition: form-data; name="`), typeof name === "string" ? Buffer.from(name) : name, bytes(`"\r\n\r\n`));
    chunks.push(typeof value === "string" ? Buffer.from(value) : value, bytes("\r\n"));
  }
  chunks.push(bytes(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

async function expectFieldError(res: Response, path: string) {
  const text = await res.text();
  expect(res.status, text).toBe(400);
  const body = JSON.parse(text);
  expect(body.error.code).toBe("validation_error");
  expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
}

describe("text Postgres cannot store is a 400 naming the field, in every body type", () => {
  const email = () => `${uniq("nul")}@example.ru`;

  it("JSON: \\u0000, lone surrogates, invalid and overlong UTF-8, in fields and in custom keys and values", async () => {
    const before = await leadCount();
    const cases: [Buffer | string, string][] = [
      [`{"email":"${email()}","name":"a\\u0000b"}`, "name"],
      [`{"email":"${email()}","message":"\\ud800"}`, "message"],
      [`{"email":"${email()}","company":"x\\udfffy"}`, "company"],
      [`{"email":"${email()}","utm_source":"\\udc00\\ud800"}`, "utm_source"],
      [bytes(`{"email":"${email()}","name":"`, [0xff], `"}`), "name"],
      [bytes(`{"email":"${email()}","name":"`, [0xc0, 0xaf], `"}`), "name"], // overlong "/"
      [bytes(`{"email":"${email()}","name":"`, [0xed, 0xa0, 0x80], `"}`), "name"], // an encoded surrogate
      [bytes(`{"email":"${email()}","name":"`, [0xf4, 0x90, 0x80, 0x80], `"}`), "name"], // past U+10FFFF
      [bytes(`{"email":"${email()}","name":"ok`, [0xe2, 0x82], `"}`), "name"], // truncated sequence
      [`{"email":"${email()}","budget":"10\\u0000000"}`, "customFields.budget"],
      [`{"email":"${email()}","bud\\u0000get":"10"}`, "customFields.bud\u0000get"],
      [`{"email":"${email()}","customFields":{"k":"\\ud83d"}}`, "customFields.k"],
      [`{"email":"a\\u0000@example.ru"}`, "email"],
      [`{"phone":"+7 916 \\u0000123-45-67"}`, "phone"],
      [`{"email":"${email()}","consent":"on\\u0000"}`, "consent"],
    ];
    for (const [body, path] of cases) await expectFieldError(await send(body, "application/json"), path);
    expect(await leadCount()).toBe(before);
  });

  it("urlencoded: %00, raw and percent-encoded invalid UTF-8, in names and values", async () => {
    const before = await leadCount();
    const cases: [Buffer | string, string][] = [
      [`email=${encodeURIComponent(email())}&name=a%00b`, "name"],
      [`email=${encodeURIComponent(email())}&name=%FF`, "name"],
      [`email=${encodeURIComponent(email())}&message=%C0%AF`, "message"],
      [`email=${encodeURIComponent(email())}&message=%ED%A0%80`, "message"],
      [bytes(`email=${encodeURIComponent(email())}&name=`, [0xfe]), "name"],
      [`email=${encodeURIComponent(email())}&budget=%00`, "customFields.budget"],
      [`email=${encodeURIComponent(email())}&bud%00get=1`, "customFields.bud\u0000get"],
      [`email=${encodeURIComponent(email())}&%FF=1`, "customFields.\udcff"],
    ];
    for (const [body, path] of cases) await expectFieldError(await send(body, "application/x-www-form-urlencoded"), path);
    expect(await leadCount()).toBe(before);
  });

  it("multipart: a NUL byte or invalid UTF-8 in a field, a custom field or a field name", async () => {
    const before = await leadCount();
    const cases: [[string | Buffer, Buffer | string][], string][] = [
      [[["email", email()], ["name", bytes("a", [0x00], "b")]], "name"],
      [[["email", email()], ["name", bytes([0xff, 0xfe])]], "name"],
      [[["email", email()], ["message", bytes([0xc0, 0x80])]], "message"],
      [[["email", email()], ["budget", bytes("1", [0x00])]], "customFields.budget"],
      [[["email", email()], [bytes("bud", [0x00], "get"), "1"]], "customFields.bud\u0000get"],
    ];
    for (const [parts, path] of cases) {
      const m = multipart(parts);
      await expectFieldError(await send(m.body, m.type), path);
    }
    const fd = new FormData();
    fd.set("email", email());
    fd.set("company", "ООО\u0000Ромашка");
    await expectFieldError(await send(fd, null), "company");
    expect(await leadCount()).toBe(before);
  });

  it("keeps text that is valid: U+FFFD sent as such, emoji (surrogate pairs), Cyrillic", async () => {
    const name = "Иван \uFFFD 👋🏽";
    const viaJson = await send(JSON.stringify({ email: email(), name }), "application/json");
    expect(viaJson.status).toBe(201);
    const m = multipart([["email", email()], ["name", name]]);
    const viaMultipart = await send(m.body, m.type);
    expect(viaMultipart.status).toBe(201);
    const viaForm = await send(new URLSearchParams({ email: email(), name }).toString(), "application/x-www-form-urlencoded");
    expect(viaForm.status).toBe(201);
    for (const res of [viaJson, viaMultipart, viaForm]) {
      const id = (await res.json()).id as string;
      const [row] = await withTenant(T.tenantId, (tx) => tx.select({ name: leads.name }).from(leads).where(eq(leads.id, id)));
      expect(row!.name).toBe(name);
    }
  });
});

describe("what a review of the change found", () => {
  it("nested custom values: deep nesting and unstorable text inside are a 400 naming the field", async () => {
    // Deeper than the JSON parser goes: invalid JSON, a 400 all the same.
    const tooDeep = await send(`{"email":"${uniq("d")}@example.ru","extra":${"[".repeat(30_000)}${"]".repeat(30_000)}}`, "application/json");
    expect(tooDeep.status).toBe(400);
    await expectFieldError(await send(`{"email":"${uniq("d")}@example.ru","extra":${"[".repeat(40)}${"]".repeat(40)}}`, "application/json"), "customFields.extra");
    await expectFieldError(await send(`{"email":"${uniq("d")}@example.ru","extra":{"a":["ok","x\\u0000"]}}`, "application/json"), "customFields.extra");
    await expectFieldError(await send(`{"email":"${uniq("d")}@example.ru","extra":{"\\ud800":1}}`, "application/json"), "customFields.extra");
    const ok = await send(JSON.stringify({ email: `${uniq("d")}@example.ru`, extra: { rooms: [1, 2], note: "ок" } }), "application/json");
    expect(ok.status).toBe(201);
  });

  it("a UTF-8 byte-order mark before a JSON or urlencoded body is not content", async () => {
    const bom = [0xef, 0xbb, 0xbf];
    expect((await send(bytes(bom, JSON.stringify({ email: `${uniq("bom")}@example.ru` })), "application/json")).status).toBe(201);
    expect((await send(bytes(bom, `email=${uniq("bom")}%40example.ru`), "application/x-www-form-urlencoded")).status).toBe(201);
  });

  it("a forwarded-for header that is not an address is ignored, never a 500", async () => {
    const res = await fetch(`${base}/api/intake`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": site.publicKey, origin: ORIGIN, "x-forwarded-for": "x".repeat(3000) },
      body: JSON.stringify({ email: `${uniq("xff")}@example.ru` }),
    });
    expect(res.status).toBe(201);
  });

  it("REST: a forged cursor or an out-of-range updated_since is a 400, and an emoji at a note's 200th character is kept whole", async () => {
    const api = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${site.secretKey}`, "content-type": "application/json" } });
    const forged = [Buffer.from(`2026-01-01T00:00:00Z|${"-".repeat(36)}`).toString("base64url"), Buffer.from(`0000-01-01T00:00:00Z|00000000-0000-4000-8000-000000000000`).toString("base64url"), Buffer.from(`+275760-09-13T00:00:00.000Z|00000000-0000-4000-8000-000000000000`).toString("base64url")];
    for (const cursor of forged) {
      const r = await api(`/api/v1/leads?cursor=${cursor}`);
      expect(r.status, cursor).toBe(400);
      expect((await r.json()).error.issues[0].path).toBe("cursor");
    }
    for (const since of ["0000-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00"]) {
      const r = await api(`/api/v1/leads?updated_since=${encodeURIComponent(since)}`);
      expect(r.status, since).toBe(400);
      expect((await r.json()).error.issues[0].path).toBe("updated_since");
    }
    const created = await send(JSON.stringify({ email: `${uniq("note")}@example.ru` }), "application/json");
    const id = (await created.json()).id;
    const text = "a".repeat(199) + "😀" + "b";
    const note = await api(`/api/v1/leads/${id}/notes`, { method: "POST", body: JSON.stringify({ text }) });
    expect(note.status).toBe(201);
    expect((await note.json()).text).toBe(text);
  });
});

describe("origins", () => {
  it("a public-key JSON request needs Origin: Referer alone is refused; a plain form post may use Referer", async () => {
    const json = await fetch(`${base}/api/intake`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-key": site.publicKey, referer: `${ORIGIN}/contacts`, "x-forwarded-for": ip() },
      body: JSON.stringify({ email: `${uniq("ref")}@example.ru` }),
    });
    expect(json.status).toBe(403);
    expect((await json.json()).error.code).toBe("origin_not_allowed");
    const form = await fetch(`${base}/api/intake?key=${site.publicKey}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", referer: `${ORIGIN}/contacts`, accept: "application/json", "x-forwarded-for": ip() },
      body: new URLSearchParams({ email: `${uniq("ref")}@example.ru` }).toString(),
    });
    expect(form.status).toBe(201);
  });

  it("a keyless preflight allows only origins an active site registered, and follows changes", async () => {
    const pre = (origin: string) => fetch(`${base}/api/intake`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,x-api-key" } });
    const evil = await pre("http://evil.example.com");
    expect(evil.status).toBe(204);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const known = await pre(ORIGIN);
    expect(known.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(known.headers.get("access-control-allow-headers")).toContain("x-api-key");

    // A new site's origin is allowed once it is registered, and no longer once the site is archived.
    const fresh = `https://${uniq("shop")}.example`;
    expect((await pre(fresh)).headers.get("access-control-allow-origin")).toBeNull();
    const created = await withTenant(T.tenantId, (tx) => createSiteTx(tx, T.tenantId, { name: "Новый", origins: [fresh] }));
    await expect.poll(async () => (await pre(fresh)).headers.get("access-control-allow-origin"), { timeout: 15_000 }).toBe(fresh);
    await withTenant(T.tenantId, (tx) => archiveSite(tx, T.tenantId, created.siteId));
    await expect.poll(async () => (await pre(fresh)).headers.get("access-control-allow-origin"), { timeout: 5000 }).toBeNull();
  });
});

describe("405 method_not_allowed with Allow, on every route", () => {
  const cases: [string, string, string][] = [
    ["PUT", "/api/intake", "POST"],
    ["PATCH", "/api/intake", "POST"],
    ["DELETE", "/api/intake", "POST"],
    ["GET", "/api/intake", "POST"],
    ["DELETE", "/api/v1/leads", "GET"],
    ["POST", "/api/v1/leads", "GET"],
    ["POST", "/api/v1/leads/00000000-0000-4000-8000-000000000000", "PATCH"],
    ["GET", "/api/v1/leads/00000000-0000-4000-8000-000000000000/notes", "POST"],
    ["POST", "/api/health", "GET"],
    ["DELETE", "/api/openapi.json", "GET"],
    ["POST", "/embed.js", "GET"],
    ["POST", "/api/leads/export.csv", "GET"],
  ];
  it.each(cases)("%s %s", async (method, path, allowed) => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${site.secretKey}`, "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain(allowed);
    expect(res.headers.get("allow")).toContain("OPTIONS");
    const body = await res.json();
    expect(body.error.code).toBe("method_not_allowed");
    expect(typeof body.error.message).toBe("string");
  });

  it("the CSV export needs a signed-in member: 401 JSON, not a page", async () => {
    const res = await fetch(`${base}/api/leads/export.csv`);
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("unauthorized");
  });

  it("HEAD follows GET", async () => {
    const res = await fetch(`${base}/api/health`, { method: "HEAD" });
    expect(res.status).toBe(200);
  });
});
