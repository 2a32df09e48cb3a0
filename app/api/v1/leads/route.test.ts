import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { leadEvents, leads } from "@/db/schema";
import { withTenant } from "@/db/tenant";
import { ZLead, ZLeadList } from "@/lib/validators/leads";
import { HONEYPOT_FIELD, INTAKE_FIELDS } from "@/lib/validators/intake";
import { serverUrl } from "@/test/http";
import { makeSite, makeTenant, makeUser, uniq } from "@/test/factories";

let base = "";
let A: Awaited<ReturnType<typeof makeTenant>>;
let B: Awaited<ReturnType<typeof makeTenant>>;
let siteA: Awaited<ReturnType<typeof makeSite>>;
let siteB: Awaited<ReturnType<typeof makeSite>>;
let salesA: Awaited<ReturnType<typeof makeUser>>;
const idsA: string[] = [];
let leadB = "";

const api = (key: string, path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.body ? { "content-type": "application/json" } : {}), ...(init.headers ?? {}) } });

async function intake(key: string, body: Record<string, unknown>) {
  const r = await fetch(`${base}/api/intake`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return (await r.json()).id as string;
}

beforeAll(async () => {
  base = serverUrl();
  A = await makeTenant("rest-a");
  B = await makeTenant("rest-b");
  siteA = await makeSite(A.tenantId);
  siteB = await makeSite(B.tenantId);
  salesA = await makeUser(A.slug, "sales");
  for (let i = 0; i < 7; i++) idsA.push(await intake(siteA.secretKey, { name: `Клиент ${i}`, email: `${uniq("rest")}@example.ru`, utm_source: "yandex" }));
  leadB = await intake(siteB.secretKey, { name: "Чужой", email: `${uniq("b")}@example.ru` });
});
afterAll(() => closeDb());

describe("REST API v1", () => {
  it("lists the key's tenant's leads newest first, in pages", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api(siteA.secretKey, `/api/v1/leads?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(res.status).toBe(200);
      const body = ZLeadList.parse(await res.json());
      expect(body.data.length).toBeLessThanOrEqual(3);
      seen.push(...body.data.map((l) => l.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...idsA].reverse());
    expect(seen).not.toContain(leadB);
  });

  it("filters by status and updated_since, and validates the query", async () => {
    await api(siteA.secretKey, `/api/v1/leads/${idsA[0]}`, { method: "PATCH", body: JSON.stringify({ status: "qualified" }) });
    const byStatus = ZLeadList.parse(await (await api(siteA.secretKey, "/api/v1/leads?status=qualified")).json());
    expect(byStatus.data.map((l) => l.id)).toEqual([idsA[0]]);
    const future = ZLeadList.parse(await (await api(siteA.secretKey, `/api/v1/leads?updated_since=${new Date(Date.now() + 3600_000).toISOString()}`)).json());
    expect(future.data).toEqual([]);
    const bad = await api(siteA.secretKey, "/api/v1/leads?limit=500&updated_since=yesterday");
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.error.code).toBe("validation_error");
    expect(err.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["limit", "updated_since"]);
  });

  it("gets one lead in the contract's shape", async () => {
    const res = await api(siteA.secretKey, `/api/v1/leads/${idsA[1]}`);
    expect(res.status).toBe(200);
    const lead = ZLead.parse(await res.json());
    expect(lead).toMatchObject({ id: idsA[1], name: "Клиент 1", channel: "api", siteId: siteA.siteId, status: "new", utm: { source: "yandex" }, assignee: null, submissions: 1, spam: false });
  });

  it("changes status and assignee, with timeline events, and names bad fields", async () => {
    const id = idsA[2]!;
    const res = await api(siteA.secretKey, `/api/v1/leads/${id}`, { method: "PATCH", body: JSON.stringify({ status: "won", assigneeEmail: salesA.email.toUpperCase() }) });
    expect(res.status).toBe(200);
    const lead = ZLead.parse(await res.json());
    expect(lead.status).toBe("won");
    expect(lead.assignee?.email).toBe(salesA.email);
    const events = await withTenant(A.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.map((e) => e.type).sort()).toEqual(["assigned", "created", "status_changed"]);
    const [row] = await withTenant(A.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id)));
    expect(row!.closedAt).not.toBeNull();

    const unassign = ZLead.parse(await (await api(siteA.secretKey, `/api/v1/leads/${id}`, { method: "PATCH", body: JSON.stringify({ assigneeEmail: null }) })).json());
    expect(unassign.assignee).toBeNull();

    for (const [body, path] of [
      [{ status: "nonexistent" }, "status"],
      [{ assigneeEmail: "stranger@example.ru" }, "assigneeEmail"],
      [{ assigneeEmail: "not-an-email" }, "assigneeEmail"],
      [{ colour: "red" }, ""],
    ] as const) {
      const r = await api(siteA.secretKey, `/api/v1/leads/${id}`, { method: "PATCH", body: JSON.stringify(body) });
      expect(r.status, JSON.stringify(body)).toBe(400);
      const e = await r.json();
      expect(e.error.code).toBe("validation_error");
      if (path) expect(e.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const notJson = await api(siteA.secretKey, `/api/v1/leads/${id}`, { method: "PATCH", body: "{", headers: { "content-type": "application/json" } });
    expect((await notJson.json()).error.code).toBe("invalid_json");
  });

  it("tenant A's key can neither read nor change tenant B's lead", async () => {
    const get = await api(siteA.secretKey, `/api/v1/leads/${leadB}`);
    expect(get.status).toBe(404);
    expect((await get.json()).error.code).toBe("not_found");
    const patch = await api(siteA.secretKey, `/api/v1/leads/${leadB}`, { method: "PATCH", body: JSON.stringify({ status: "junk" }) });
    expect(patch.status).toBe(404);
    const list = ZLeadList.parse(await (await api(siteA.secretKey, "/api/v1/leads?limit=100")).json());
    expect(list.data.map((l) => l.id)).not.toContain(leadB);
    const still = ZLead.parse(await (await api(siteB.secretKey, `/api/v1/leads/${leadB}`)).json());
    expect(still.status).toBe("new");
  });

  it("accepts only secret keys, as Bearer", async () => {
    expect((await api(siteA.publicKey, "/api/v1/leads")).status).toBe(401);
    expect((await fetch(`${base}/api/v1/leads`)).status).toBe(401);
    expect((await fetch(`${base}/api/v1/leads`, { headers: { "x-api-key": siteA.secretKey } })).status).toBe(401);
    expect((await api(siteA.secretKey, "/api/v1/leads/not-a-uuid")).status).toBe(404);
  });
});

describe("REST API v1 additions: firstResponseAt, notes, category", () => {
  it("a lead carries firstResponseAt: null until a person responds", async () => {
    const lead = ZLead.parse(await (await api(siteA.secretKey, `/api/v1/leads/${idsA[3]}`)).json());
    expect(lead.firstResponseAt).toBeNull();
    const when = new Date();
    await withTenant(A.tenantId, (tx) => tx.update(leads).set({ firstResponseAt: when }).where(eq(leads.id, idsA[3]!)));
    const answered = ZLead.parse(await (await api(siteA.secretKey, `/api/v1/leads/${idsA[3]}`)).json());
    expect(answered.firstResponseAt).toBe(when.toISOString());
    const listed = ZLeadList.parse(await (await api(siteA.secretKey, "/api/v1/leads?limit=100")).json());
    expect(listed.data.find((l) => l.id === idsA[3])!.firstResponseAt).toBe(when.toISOString());
  });

  it("POST /notes adds an integration's note to the timeline, validates it, and stays in the tenant", async () => {
    const id = idsA[4]!;
    const res = await api(siteA.secretKey, `/api/v1/leads/${id}/notes`, { method: "POST", body: JSON.stringify({ text: "  Перезвонить в пятницу  " }) });
    expect(res.status).toBe(201);
    const note = await res.json();
    expect(note).toEqual({ id: expect.any(String), createdAt: expect.any(String), text: "Перезвонить в пятницу", author: null });
    const events = await withTenant(A.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.find((e) => e.type === "note")?.payload).toMatchObject({ noteId: note.id });
    // An integration's note is not a person's first response.
    const [row] = await withTenant(A.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id)));
    expect(row!.firstResponseAt).toBeNull();

    for (const [body, path] of [
      [{ text: "" }, "text"],
      [{ text: "   " }, "text"],
      [{ text: "x".repeat(10_001) }, "text"],
      [{ text: "a\u0000b" }, "text"],
      [{ text: 5 }, "text"],
      [{}, "text"],
    ] as const) {
      const raw = JSON.stringify(body);
      const r = await api(siteA.secretKey, `/api/v1/leads/${id}/notes`, { method: "POST", body: raw });
      expect(r.status, raw).toBe(400);
      const e = await r.json();
      expect(e.error.code).toBe("validation_error");
      expect(e.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    const lone = await api(siteA.secretKey, `/api/v1/leads/${id}/notes`, { method: "POST", body: '{"text":"\\ud800"}' });
    expect(lone.status).toBe(400);
    expect((await api(siteA.secretKey, `/api/v1/leads/${id}/notes`, { method: "POST", body: "{", headers: { "content-type": "application/json" } })).status).toBe(400);
    expect((await api(siteA.secretKey, `/api/v1/leads/${id}/notes`, { method: "POST", body: "text=x", headers: { "content-type": "text/plain" } })).status).toBe(415);
    const foreign = await api(siteA.secretKey, `/api/v1/leads/${leadB}/notes`, { method: "POST", body: JSON.stringify({ text: "чужая" }) });
    expect(foreign.status).toBe(404);
    const notesOfB = await withTenant(B.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, leadB)));
    expect(notesOfB.map((e) => e.type)).not.toContain("note");
  });

  it("PATCH category stores a correction that is kept, and refuses unknown categories", async () => {
    const id = idsA[5]!;
    const res = await api(siteA.secretKey, `/api/v1/leads/${id}`, { method: "PATCH", body: JSON.stringify({ category: "seo" }) });
    expect(res.status).toBe(200);
    const lead = ZLead.parse(await res.json());
    expect(lead.ai?.category).toBe("seo");
    const [row] = await withTenant(A.tenantId, (tx) => tx.select().from(leads).where(eq(leads.id, id)));
    expect(row!.aiCategory).toBe("seo");
    expect(row!.aiCategoryCorrectedAt).not.toBeNull();
    const events = await withTenant(A.tenantId, (tx) => tx.select().from(leadEvents).where(eq(leadEvents.leadId, id)));
    expect(events.find((e) => e.type === "category_changed")?.payload).toEqual({ from: null, to: "seo" });
    const bad = await api(siteA.secretKey, `/api/v1/leads/${id}`, { method: "PATCH", body: JSON.stringify({ category: "astrology" }) });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues[0].path).toBe("category");
    expect(ZLead.parse(await (await api(siteA.secretKey, `/api/v1/leads/${id}`)).json()).ai?.category).toBe("seo");
  });
});

describe("GET /api/openapi.json", () => {
  it("describes the REST API and intake as OpenAPI 3.1 from the same schemas", async () => {
    const doc = await (await fetch(`${base}/api/openapi.json`)).json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/intake", "/api/v1/analytics/summary", "/api/v1/leads", "/api/v1/leads/{id}", "/api/v1/leads/{id}/notes"]);
    expect(Object.keys(doc.paths["/api/v1/leads/{id}/notes"])).toEqual(["post"]);
    expect(Object.keys(doc.components.schemas.LeadPatch.properties).sort()).toEqual(["assigneeEmail", "category", "status"]);
    expect(Object.keys(doc.paths["/api/v1/leads/{id}"]).sort()).toEqual(["get", "patch"]);
    const lead = doc.components.schemas.Lead;
    expect(Object.keys(lead.properties).sort()).toEqual(Object.keys(ZLead.shape).sort());
    expect(doc.paths["/api/v1/leads"].get.responses["200"].content["application/json"].schema.$ref).toBe("#/components/schemas/LeadList");
    expect(doc.paths["/api/v1/leads"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["cursor", "limit", "status", "updated_since"]);
    // The intake body it documents names exactly the fields the intake schema reads.
    expect(Object.keys(doc.components.schemas.IntakeLead.properties).sort()).toEqual([...INTAKE_FIELDS, HONEYPOT_FIELD].sort());
    // …with the schema's own limits (derived from it, not copied).
    expect(doc.components.schemas.IntakeLead.properties.message.maxLength).toBe(10_000);
    expect(doc.components.schemas.IntakeLead.additionalProperties.maxLength).toBe(2000);
  });
});
