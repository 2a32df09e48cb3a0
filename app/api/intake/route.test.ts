import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leadEvents, leads, sites } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { freePort } from "@/db/embedded";
import { rotateKey, updateSite } from "@/lib/services/sites";
import { serverUrl } from "@/test/http";
import { next } from "@/scripts/_next";
import { makeSite, makeTenant, uniq } from "@/test/factories";

type Site = Awaited<ReturnType<typeof makeSite>>;
let base = "";
let T: Awaited<ReturnType<typeof makeTenant>>;
let site: Site;
const ORIGIN = "https://example.ru";

beforeAll(async () => {
  base = serverUrl();
  T = await makeTenant("intake");
  site = await makeSite(T.tenantId);
});
afterAll(() => closeDb());

/** Every request from its own client address, so per-IP limits do not couple the tests. */
const ip = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;

function post(body: BodyInit | null, headers: Record<string, string> = {}, query = "") {
  return fetch(`${base}/api/intake${query}`, { method: "POST", body, headers: { "x-forwarded-for": ip(), ...headers }, redirect: "manual" });
}
const json = (o: unknown, key = site.secretKey, extra: Record<string, string> = {}) =>
  post(JSON.stringify(o), { "content-type": "application/json", authorization: `Bearer ${key}`, ...extra });

async function leadCount(tenantId = T.tenantId): Promise<number> {
  const [r] = await withTenant(tenantId, (tx) => tx.select({ n: sql<number>`count(*)::int` }).from(leads));
  return r!.n;
}
async function getLeadRow(id: string, tenantId = T.tenantId) {
  const [row] = await withTenant(tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id)));
  const events = await withTenant(tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
  return { row, events };
}

describe("POST /api/intake with a secret key", () => {
  it("stores a JSON lead once, normalised, with its timeline event", async () => {
    const email = `${uniq("ivan")}@Mail.RU`;
    const res = await json({ name: "Иван Петров", email, phone: "8 (916) 555-01-02", company: "ООО «Ромашка»", message: "Нужен сайт", form: "contact", pageUrl: "https://example.ru/uslugi", referrer: "https://yandex.ru/", utm_source: "yandex", utm_medium: "cpc", utm_campaign: "brand", utm_term: "сайт", utm_content: "ad1", consent: true, budget: "300 000 ₽" });
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({ id: expect.any(String), duplicate: false });
    const { row, events } = await getLeadRow(body.id);
    expect(row).toMatchObject({
      channel: "api", siteId: site.siteId, status: "new", name: "Иван Петров", email: email.toLowerCase(), emailNorm: email.toLowerCase(),
      phone: "+79165550102", phoneNorm: "+79165550102", company: "ООО «Ромашка»", utmSource: "yandex", utmTerm: "сайт", consent: true,
      customFields: { budget: "300 000 ₽" }, spam: false, submissions: 1,
    });
    expect(events.map((e) => e.type)).toEqual(["created"]);
    // Its follow-up job (enqueued in the same statement) is checked in lib/jobs/worker.test.ts, where no other
    // test's worker can run it first.
  });

  it("accepts urlencoded and multipart bodies (a file input keeps the lead, noted as a custom field)", async () => {
    const form = new URLSearchParams({ name: "Форма", email: `${uniq("f")}@example.ru` });
    const r1 = await post(form.toString(), { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${site.secretKey}`, accept: "application/json" });
    expect(r1.status).toBe(201);
    const fd = new FormData();
    fd.set("phone", "+7 921 000-00-01");
    fd.set("brief", new Blob(["%PDF-1.4"]), "brief.pdf");
    const r2 = await fetch(`${base}/api/intake`, { method: "POST", body: fd, headers: { authorization: `Bearer ${site.secretKey}`, accept: "application/json" } });
    expect(r2.status).toBe(201);
    const { row } = await getLeadRow((await r2.json()).id);
    expect(row!.customFields).toEqual({ brief: "[file: brief.pdf, 8 bytes, not stored]" });
  });

  it("rejects bad input with a clear error naming the field, and stores nothing", async () => {
    const before = await leadCount();
    const cases: [Response, number, string, string[]][] = [
      [await json({ name: "Без контактов" }), 400, "validation_error", ["email", "phone"]],
      [await json({ email: "not-an-email" }), 400, "validation_error", ["email"]],
      [await json({ email: "a@b.ru", phone: "звоните" }), 400, "validation_error", ["phone"]],
      [await json({ email: "a@b.ru", notes: "x".repeat(2001) }), 400, "validation_error", ["customFields.notes"]],
      [await json({ email: "a@b.ru", ...Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, "v"])) }), 400, "validation_error", ["customFields"]],
      [await json([1, 2]), 400, "validation_error", ["(root)"]],
    ];
    for (const [res, status, code, paths] of cases) {
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error.code).toBe(code);
      expect(body.error.issues.map((i: { path: string }) => i.path)).toEqual(paths);
    }
    const bad = await post("{oops", { "content-type": "application/json", authorization: `Bearer ${site.secretKey}` });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_json");
    expect(await leadCount()).toBe(before);
  });

  it("answers 415 for other content types and 413 past 64 KiB, also without Content-Length", async () => {
    const t = await post("name=x", { "content-type": "text/plain", authorization: `Bearer ${site.secretKey}` });
    expect(t.status).toBe(415);
    expect((await t.json()).error.code).toBe("unsupported_media_type");
    const big = JSON.stringify({ email: "a@b.ru", message: "x".repeat(70 * 1024) });
    const r = await json(JSON.parse(big));
    expect(r.status).toBe(413);
    expect((await r.json()).error.code).toBe("payload_too_large");
    // A streamed (chunked) body has no Content-Length: the limit is enforced while reading.
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent === 0) c.enqueue(new TextEncoder().encode('{"email":"a@b.ru","message":"'));
        if (sent++ < 8) c.enqueue(chunk);
        else c.close();
      },
    });
    const s = await fetch(`${base}/api/intake`, { method: "POST", body: stream, duplex: "half", headers: { "content-type": "application/json", authorization: `Bearer ${site.secretKey}` } } as RequestInit);
    expect(s.status).toBe(413);
  });

  it("stores a honeypot submission as spam while answering like a success", async () => {
    const res = await json({ email: `${uniq("bot")}@example.ru`, _gotcha: "http://spam.example" });
    expect(res.status).toBe(201);
    const { row } = await getLeadRow((await res.json()).id);
    expect(row!.spam).toBe(true);
  });
});

describe("authentication and origins", () => {
  it("refuses unknown, malformed and revoked keys with 401", async () => {
    for (const auth of ["Bearer sk_" + "A".repeat(32), "Bearer nope", "Basic abc"]) {
      const r = await post(JSON.stringify({ email: "a@b.ru" }), { "content-type": "application/json", authorization: auth });
      expect(r.status).toBe(401);
      expect((await r.json()).error.code).toBe("invalid_api_key");
    }
    const none = await post(JSON.stringify({ email: "a@b.ru" }), { "content-type": "application/json" });
    expect(none.status).toBe(401);
    const s = await makeSite(T.tenantId);
    expect((await json({ email: `${uniq("r")}@b.ru` }, s.secretKey)).status).toBe(201);
    await withTenant(T.tenantId, (tx) => rotateKey(tx, T.tenantId, s.siteId, "secret"));
    // Rotation revokes the old secret at once (NOTIFY drops every instance's cached copy).
    await expect.poll(async () => (await json({ email: `${uniq("r")}@b.ru` }, s.secretKey)).status, { timeout: 5000 }).toBe(401);
  });

  it("accepts a public key only from the site's origins, and never a secret key from a browser", async () => {
    const body = JSON.stringify({ email: `${uniq("pub")}@example.ru` });
    const ok = await post(body, { "content-type": "application/json", "x-api-key": site.publicKey, origin: ORIGIN });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const { row } = await getLeadRow((await ok.json()).id);
    expect(row!.channel).toBe("web");
    const viaQuery = await post(JSON.stringify({ email: `${uniq("q")}@example.ru` }), { "content-type": "application/json", origin: ORIGIN }, `?key=${site.publicKey}`);
    expect(viaQuery.status).toBe(201);
    const evil = await post(body, { "content-type": "application/json", "x-api-key": site.publicKey, origin: "https://evil.example" });
    expect(evil.status).toBe(403);
    expect((await evil.json()).error.code).toBe("origin_not_allowed");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    const noOrigin = await post(body, { "content-type": "application/json", "x-api-key": site.publicKey });
    expect(noOrigin.status).toBe(403);
    const secretInBrowser = await post(body, { "content-type": "application/json", "x-api-key": site.secretKey, origin: ORIGIN });
    expect(secretInBrowser.status).toBe(401);
    const publicAsBearer = await post(body, { "content-type": "application/json", authorization: `Bearer ${site.publicKey}`, origin: ORIGIN });
    expect(publicAsBearer.status).toBe(401);
  });

  it("answers a plain HTML form post with 303 to the built-in thank-you page or the site's own", async () => {
    const form = new URLSearchParams({ name: "Анна", phone: "+7 912 345-67-89" }).toString();
    const r = await post(form, { "content-type": "application/x-www-form-urlencoded", referer: `${ORIGIN}/contacts`, "accept-language": "ru-RU" }, `?key=${site.publicKey}`);
    expect(r.status).toBe(303);
    expect(r.headers.get("location")).toMatch(/\/thanks\?lang=ru$/);
    const page = await fetch(r.headers.get("location")!.replace(/^https?:\/\/[^/]+/, base));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Спасибо");
    await withTenant(T.tenantId, (tx) => updateSite(tx, T.tenantId, { siteId: site.siteId, thankYouUrl: "https://example.ru/spasibo" }));
    await expect
      .poll(async () => (await post(new URLSearchParams({ email: `${uniq("t")}@example.ru` }).toString(), { "content-type": "application/x-www-form-urlencoded", referer: `${ORIGIN}/` }, `?key=${site.publicKey}`)).headers.get("location"), { timeout: 5000 })
      .toBe("https://example.ru/spasibo");
  });

  it("answers CORS preflight for the site's origins only", async () => {
    const pre = (origin: string) =>
      fetch(`${base}/api/intake?key=${site.publicKey}`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type,idempotency-key" } });
    const ok = await pre(ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(ok.headers.get("access-control-allow-headers")).toContain("idempotency-key");
    const bad = await pre("https://evil.example");
    expect(bad.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("exactly once", () => {
  it("replays the first answer for a repeated Idempotency-Key and creates nothing", async () => {
    const key = uniq("idem");
    const body = { email: `${uniq("i")}@example.ru`, message: "первый" };
    const a = await json(body, site.secretKey, { "idempotency-key": key });
    const b = await json({ ...body, message: "второй" }, site.secretKey, { "idempotency-key": key });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(await b.json()).toEqual(await a.json());
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    const long = await json(body, site.secretKey, { "idempotency-key": "k".repeat(256) });
    expect(long.status).toBe(400);
    expect((await long.json()).error.issues[0].path).toBe("Idempotency-Key");
  });

  it("makes exactly one lead from concurrent requests with the same Idempotency-Key", async () => {
    const s = await makeSite(T.tenantId);
    const key = uniq("race");
    const email = `${uniq("race")}@example.ru`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => json({ email, name: "Гонка" }, s.secretKey, { "idempotency-key": key })));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    const rows = await withTenant(T.tenantId, (tx) => tx.select().from(leads).where(and(eq(leads.siteId, s.siteId), eq(leads.emailNorm, email))));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.submissions).toBe(1);
  });

  it("joins a repeat from the same e-mail or phone to the existing lead", async () => {
    const email = `${uniq("dup")}@example.ru`;
    const first = await (await json({ email, phone: "+7 903 111-22-33", message: "Сайт" })).json();
    const again = await json({ email: email.toUpperCase(), message: "Ещё вопрос", budget: "1 млн" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: first.id, duplicate: true });
    const byPhone = await json({ phone: "8 903 111 22 33", name: "Тот же" });
    expect(await byPhone.json()).toEqual({ id: first.id, duplicate: true });
    const { row, events } = await getLeadRow(first.id);
    expect(row!.submissions).toBe(3);
    expect(row!.name).toBe("Тот же"); // filled in from the later submission
    expect(row!.customFields).toEqual({ budget: "1 млн" });
    expect(events.map((e) => e.type).sort()).toEqual(["created", "submission", "submission"]);
  });

  it("makes one lead with the right count from concurrent submissions of one e-mail", async () => {
    const email = `${uniq("burst")}@example.ru`;
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => json({ email, message: `#${i}` })));
    const bodies = await Promise.all(answers.map((r) => r.json()));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(9);
    expect(new Set(bodies.map((b) => b.id)).size).toBe(1);
    const { row, events } = await getLeadRow(bodies[0].id);
    expect(row!.submissions).toBe(10);
    expect(events).toHaveLength(10);
  });

  it("does not join across tenants, nor outside the dedupe window", async () => {
    const other = await makeTenant("intake-other");
    const otherSite = await makeSite(other.tenantId);
    const email = `${uniq("x")}@example.ru`;
    const a = await (await json({ email })).json();
    const b = await json({ email }, otherSite.secretKey);
    expect(b.status).toBe(201);
    expect((await b.json()).id).not.toBe(a.id);
    await withTenant(T.tenantId, (tx) => tx.update(leads).set({ lastSubmissionAt: sql`now() - interval '31 days'` }).where(eq(leads.id, a.id)));
    const c = await json({ email });
    expect(c.status).toBe(201);
  });
});

describe("rate limits", () => {
  it("limits public-key requests per key + client IP, with Retry-After", async () => {
    const s = await makeSite(T.tenantId);
    await withTenant(T.tenantId, (tx) => updateSite(tx, T.tenantId, { siteId: s.siteId, rateLimits: { perIpPerMinute: 3, perSitePerMinute: 100, secretPerMinute: null } }));
    const client = ip();
    const send = () => post(JSON.stringify({ email: `${uniq("rl")}@example.ru` }), { "content-type": "application/json", "x-api-key": s.publicKey, origin: ORIGIN, "x-forwarded-for": client });
    await expect.poll(async () => (await send()).status, { timeout: 5000 }).toBe(429);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe("rate_limited");
    // Another client of the same site is not affected.
    // (A fixed address outside ip()'s range: a random one collided with `client` 1 time in 250.)
    const other = await post(JSON.stringify({ email: `${uniq("rl")}@example.ru` }), { "content-type": "application/json", "x-api-key": s.publicKey, origin: ORIGIN, "x-forwarded-for": "198.51.100.7" });
    expect(other.status).toBe(201);
  });

  it("limits per site across clients, and secret keys only when the owner set a limit", async () => {
    const s = await makeSite(T.tenantId);
    await withTenant(T.tenantId, (tx) => updateSite(tx, T.tenantId, { siteId: s.siteId, rateLimits: { perIpPerMinute: 100, perSitePerMinute: 4, secretPerMinute: null } }));
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await post(JSON.stringify({ email: `${uniq("s")}@example.ru` }), { "content-type": "application/json", "x-api-key": s.publicKey, origin: ORIGIN })).status);
    expect(statuses).toContain(429);
    // Secret keys are unlimited by default…
    for (let i = 0; i < 6; i++) expect((await json({ email: `${uniq("sk")}@example.ru` }, s.secretKey)).status).toBe(201);
    // …until the owner sets a limit.
    await withTenant(T.tenantId, (tx) => updateSite(tx, T.tenantId, { siteId: s.siteId, rateLimits: { perIpPerMinute: 100, perSitePerMinute: 4, secretPerMinute: 2 } }));
    await expect.poll(async () => (await json({ email: `${uniq("sk")}@example.ru` }, s.secretKey)).status, { timeout: 5000 }).toBe(429);
  });
});

describe("when the database is down", () => {
  it("answers 503 with Retry-After, never a 500", async () => {
    const port = await freePort();
    const deadDb = `postgres://postgres@127.0.0.1:${await freePort()}/nothing`;
    const child = next(["start", "-p", String(port)], { ...process.env, DATABASE_URL: deadDb, NODE_ENV: "production" }, "ignore");
    try {
      const url = `http://127.0.0.1:${port}`;
      await expect.poll(() => fetch(`${url}/api/health`).then((r) => r.status, () => 0), { timeout: 30_000, interval: 200 }).toBe(503);
      const r = await fetch(`${url}/api/intake`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${site.secretKey}` }, body: JSON.stringify({ email: "a@b.ru" }) });
      expect(r.status).toBe(503);
      expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await r.json()).error.code).toBe("unavailable");
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);
});

describe("site settings reach intake", () => {
  it("an archived site's keys stop working", async () => {
    const s = await makeSite(T.tenantId);
    expect((await json({ email: `${uniq("a")}@example.ru` }, s.secretKey)).status).toBe(201);
    await withTenant(T.tenantId, async (tx) => {
      await tx.update(sites).set({ archivedAt: new Date() }).where(eq(sites.id, s.siteId));
      await tx.execute(sql`select pg_notify('leadflow_site_changed', ${s.siteId})`);
    });
    await expect.poll(async () => (await json({ email: `${uniq("a")}@example.ru` }, s.secretKey)).status, { timeout: 5000 }).toBe(401);
  });
});
