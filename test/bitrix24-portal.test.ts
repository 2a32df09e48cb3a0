// The Bitrix24 stand-in honours ../shared/BITRIX24_CONTRACT.md where LeadFlow depends on it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import qs from "qs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPortal, type Portal } from "./bitrix24-portal";

type Reply = { status: number; text: string; body: Record<string, unknown> };

async function call(portal: Portal, method: string, params: unknown, init: RequestInit = {}): Promise<Reply> {
  const res = await fetch(portal.webhookUrl + method, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(params),
    ...init,
  });
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as Record<string, unknown> };
}

/** What crm.lead.get shows, without what differs between two leads made from the same fields. */
function comparable(lead: Record<string, unknown>) {
  const { ID: _id, DATE_CREATE: _c, DATE_MODIFY: _m, MOVED_TIME: _t, ...rest } = lead;
  return { ...rest, PHONE: (rest.PHONE as { ID: string }[]).map(({ ID: _i, ...item }) => item) };
}

describe("bitrix24 portal stand-in", () => {
  let portal: Portal;
  beforeAll(async () => {
    portal = await startPortal({ burst: 1000 });
  });
  afterAll(async () => {
    await portal.close();
  });

  it("answers in the success envelope with the time block and PHP's \\/ escaping", async () => {
    const add = await call(portal, "crm.lead.add.json", { fields: { TITLE: "Site", WEB: [{ VALUE: "https://a.ru/x", VALUE_TYPE: "WORK" }] } });
    expect(add.status).toBe(200);
    expect(add.body.result).toEqual(expect.any(Number));
    expect(Object.keys(add.body.time as object)).toEqual(["start", "finish", "duration", "processing", "date_start", "date_finish", "operating_reset_at", "operating"]);
    expect((add.body.time as { date_start: string }).date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);

    const get = await call(portal, "crm.lead.get", { id: add.body.result, select: ["WEB"] });
    expect(get.text).toContain('"VALUE":"https:\\/\\/a.ru\\/x"');
  });

  it("stores the same lead from PHP-style form keys and from JSON; get returns strings and multifield IDs", async () => {
    const form = new URLSearchParams({
      "fields[TITLE]": "Заявка & сайт",
      "fields[NAME]": "Иван",
      "fields[OPPORTUNITY]": "12500",
      "fields[PHONE][0][VALUE]": "+79001234567",
      "fields[PHONE][0][VALUE_TYPE]": "WORK",
      "fields[HAS_PHONE]": "N", // read-only: dropped
      "fields[NO_SUCH_FIELD]": "x", // unknown: dropped
    });
    const viaForm = await fetch(`${portal.webhookUrl}crm.lead.add`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: form });
    const formId = ((await viaForm.json()) as { result: number }).result;
    const viaJson = await call(portal, "crm.lead.add", {
      fields: { TITLE: "Заявка & сайт", NAME: "Иван", OPPORTUNITY: 12500, PHONE: [{ VALUE: "+79001234567", VALUE_TYPE: "WORK" }], HAS_PHONE: "N", NO_SUCH_FIELD: "x" },
    });

    const a = (await call(portal, "crm.lead.get", { id: formId })).body.result as Record<string, unknown>;
    const b = (await call(portal, "crm.lead.get", { ID: String(viaJson.body.result) })).body.result as Record<string, unknown>;
    expect(comparable(a)).toEqual(comparable(b));
    expect(a).toMatchObject({ ID: String(formId), TITLE: "Заявка & сайт", OPPORTUNITY: "12500.00", ASSIGNED_BY_ID: "1", STATUS_ID: "NEW", STATUS_SEMANTIC_ID: "P", HAS_PHONE: "Y", HAS_EMAIL: "N", COMMENTS: null });
    expect(a.PHONE).toEqual([{ ID: expect.stringMatching(/^\d+$/), VALUE_TYPE: "WORK", VALUE: "+79001234567", TYPE_ID: "PHONE" }]);
    expect(a).not.toHaveProperty("EMAIL");
    expect(a).not.toHaveProperty("NO_SUCH_FIELD");
  });

  it("refuses validation failures and a missing lead with HTTP 400 and an empty error code", async () => {
    const invalid = await call(portal, "crm.lead.add", { fields: { EMAIL: [{ VALUE: "not-an-email", VALUE_TYPE: "WORK" }], OPPORTUNITY: "много" } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe("");
    expect(String(invalid.body.error_description).split("<br />")).toHaveLength(2);

    const missing = await call(portal, "crm.lead.get", { id: 999_999 });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ error: "", error_description: "Not found" });
  });

  it("refuses wrong credentials, a revoked webhook and unknown methods", async () => {
    const wrong = await fetch(portal.webhookUrl.replace(/\/[0-9a-f]+\/$/, "/wrongcode/") + "user.current");
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: "INVALID_CREDENTIALS", error_description: "Invalid request credentials" });
    portal.setRevoked(true);
    expect((await call(portal, "user.current", {})).status).toBe(401);
    portal.setRevoked(false);
    expect((await call(portal, "user.current", {})).body.result).toMatchObject({ ID: "1", NAME: "Админ" });
    expect((await call(portal, "crm.lead.nope", {})).body).toEqual({ error: "ERROR_METHOD_NOT_FOUND", error_description: "Method not found!" });
  });

  it("lists by @ORIGIN_ID and ORIGINATOR_ID, and pages by 50 with next and total", async () => {
    const adds = Array.from({ length: 55 }, (_, i) => `crm.lead.add?${qs.stringify({ fields: { TITLE: `Bulk ${i}`, ORIGINATOR_ID: "leadflow", ORIGIN_ID: `lf-${i}` } })}`);
    for (const cmd of [adds.slice(0, 50), adds.slice(50)]) expect((await call(portal, "batch", { halt: 0, cmd })).status).toBe(200);

    const some = await call(portal, "crm.lead.list", { filter: { "@ORIGIN_ID": ["lf-3", "lf-7", "other"], ORIGINATOR_ID: "leadflow" }, select: ["ID", "ORIGIN_ID"] });
    expect((some.body.result as { ORIGIN_ID: string }[]).map((l) => l.ORIGIN_ID)).toEqual(["lf-3", "lf-7"]);
    expect(some.body.total).toBe(2);
    expect(some.body).not.toHaveProperty("next");

    const page1 = await call(portal, "crm.lead.list", { filter: { ORIGINATOR_ID: "leadflow" }, order: { ID: "ASC" }, select: ["ID"] });
    expect(page1.body).toMatchObject({ next: 50, total: 55 });
    expect(page1.body.result).toHaveLength(50);
    const page2 = await call(portal, "crm.lead.list", { filter: { ORIGINATOR_ID: "leadflow" }, order: { ID: "ASC" }, select: ["ID"], start: 50 });
    expect(page2.body.result).toHaveLength(5);
    expect(page2.body).not.toHaveProperty("next");

    expect((await call(portal, "crm.lead.list", { filter: "ORIGIN_ID" })).body).toEqual({ error: "", error_description: "Parameter 'filter' must be array." });
  });

  it("runs a batch: a failing command lands in result_error, the others succeed and see $result", async () => {
    const reply = await call(portal, "batch", {
      halt: 0,
      cmd: {
        add: `crm.lead.add?${qs.stringify({ fields: { TITLE: "From batch" } })}`,
        missing: "crm.lead.get?id=999999",
        again: `crm.lead.get?${qs.stringify({ id: "$result[add]" })}`,
      },
    });
    expect(reply.status).toBe(200);
    const { result, result_error, result_time } = reply.body.result as Record<string, Record<string, Record<string, unknown>>>;
    expect(result!.add).toEqual(expect.any(Number));
    expect(result!.again).toMatchObject({ TITLE: "From batch" });
    expect(result_error).toEqual({ missing: { error: "", error_description: "Not found" } });
    expect(Object.keys(result_time!)).toEqual(["add", "again"]);
  });

  it("times out after creating the lead when told to (the write survives the lost answer)", async () => {
    portal.fault("crm.lead.add", "timeout_after_create");
    const attempt = call(portal, "crm.lead.add", { fields: { TITLE: "Lost answer", ORIGIN_ID: "lf-lost" } }, { signal: AbortSignal.timeout(300) });
    await expect(attempt).rejects.toThrow();
    const found = await call(portal, "crm.lead.list", { filter: { ORIGIN_ID: "lf-lost" } });
    expect(found.body.total).toBe(1);
    expect(portal.requests.filter((r) => r.method === "crm.lead.add").at(-1)?.status).toBe(0);
  });

  it("delivers ONCRMLEADUPDATE form-encoded like http_build_query, for API and UI updates", async () => {
    const received: { type: string | undefined; body: string }[] = [];
    const handler = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push({ type: req.headers["content-type"], body });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => handler.listen(0, "127.0.0.1", r));
    try {
      portal.setOutgoingWebhook({ handlerUrl: `http://127.0.0.1:${(handler.address() as AddressInfo).port}/hook`, applicationToken: "app token" });
      const id = (await call(portal, "crm.lead.add", { fields: { TITLE: "Evented" } })).body.result as number; // ONCRMLEADADD: not subscribed
      await call(portal, "crm.lead.update", { id, fields: { STATUS_ID: "IN_PROCESS" } });
      portal.uiUpdate(id, { STATUS_ID: "CONVERTED" });
      await portal.idle();

      expect(received).toHaveLength(2);
      expect(portal.deliveries.map((d) => [d.event, d.status])).toEqual([
        ["ONCRMLEADUPDATE", 200],
        ["ONCRMLEADUPDATE", 200],
      ]);
      const { type, body } = received[0]!;
      expect(type).toBe("application/x-www-form-urlencoded");
      expect(body).toMatch(
        new RegExp(
          `^event=ONCRMLEADUPDATE&event_handler_id=\\d+&data%5BFIELDS%5D%5BID%5D=${id}&ts=\\d+` +
            `&auth%5Bdomain%5D=127\\.0\\.0\\.1%3A\\d+&auth%5Bclient_endpoint%5D=http%3A%2F%2F127\\.0\\.0\\.1%3A\\d+%2Frest%2F` +
            `&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth\\.bitrix\\.info%2Frest%2F&auth%5Bmember_id%5D=${portal.memberId}` +
            `&auth%5Bapplication_token%5D=app\\+token$`,
        ),
      );
      expect(portal.leads.get(id)).toMatchObject({ STATUS_ID: "CONVERTED", STATUS_SEMANTIC_ID: "S", MODIFY_BY_ID: "2" });
    } finally {
      portal.setOutgoingWebhook(null);
      await new Promise((r) => handler.close(r));
    }
  });
});

describe("bitrix24 portal rate limit", () => {
  it("refuses requests above the burst with 503 QUERY_LIMIT_EXCEEDED", async () => {
    const portal = await startPortal({ ratePerSec: 1, burst: 5 });
    try {
      const replies = await Promise.all(Array.from({ length: 8 }, () => call(portal, "user.current", {})));
      const refused = replies.filter((r) => r.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.body).toEqual({ error: "QUERY_LIMIT_EXCEEDED", error_description: "Too many requests" });
      expect(portal.stats.refused).toBe(refused.length);
      expect(portal.stats.maxLevel).toBeLessThanOrEqual(5);
    } finally {
      await portal.close();
    }
  });
});
