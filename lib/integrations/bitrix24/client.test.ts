import { describe, expect, it } from "vitest";
import { classify, maskWebhookUrl, parseWebhookUrl, batchQuery } from "./client";
import { leadFields, sameHost, statusIn } from "./mapping";

// The contract's error table (BITRIX24_CONTRACT §6), the webhook URL rules (§1) and the mapping.

describe("classify", () => {
  it.each([
    [503, "QUERY_LIMIT_EXCEEDED", "Too many requests", "rate_limited"],
    [429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.", "operation_limit"],
    [503, "OVERLOAD_LIMIT", "REST API is blocked due to overload", "overload"],
    [401, "INVALID_CREDENTIALS", "Invalid request credentials", "auth"],
    [403, "INVALID_CREDENTIALS", "Invalid request credentials", "auth"],
    [401, "NO_AUTH_FOUND", "Wrong authorization data", "auth"],
    [401, "insufficient_scope", "The request requires higher privileges than provided by the webhook token", "auth"],
    [403, "ACCESS_DENIED", "REST is available only on commercial plans.", "auth"],
    [400, "", "Access denied.", "auth"],
    [404, "ERROR_METHOD_NOT_FOUND", "Method not found!", "config"],
    [400, "", "Not found", "not_found"],
    [400, "", "Lead is not found", "not_found"],
    [400, "", "ID is not defined or invalid.", "not_found"],
    [400, "", "Invalid e-mail address: x<br />Field OPPORTUNITY must be a number", "validation"],
    [500, "INTERNAL_SERVER_ERROR", "", "transient"],
    [500, "ERROR_UNEXPECTED_ANSWER", "", "transient"],
    [502, "", "", "transient"],
    [504, "", "", "transient"],
    [500, "PORTAL_DELETED", "Portal was deleted", "config"],
    [410, "PORTAL_DELETED", "Portal was deleted", "config"],
  ] as const)("%i %s %s → %s", (status, code, description, kind) => {
    expect(classify(status, code, description)).toBe(kind);
  });
});

describe("webhook URLs", () => {
  it("accepts https portals and loopback http; cuts a pasted method", () => {
    expect(parseWebhookUrl("https://agency.bitrix24.ru/rest/1/abc123def456/")).toEqual({ base: "https://agency.bitrix24.ru/rest/1/abc123def456/", host: "agency.bitrix24.ru", userId: 1, code: "abc123def456" });
    expect(parseWebhookUrl(" https://agency.bitrix24.ru/rest/17/abc123def456/profile/ ")).toMatchObject({ base: "https://agency.bitrix24.ru/rest/17/abc123def456/", userId: 17 });
    expect(parseWebhookUrl("https://agency.bitrix24.ru/rest/1/abc123def456/crm.lead.add.json")).toMatchObject({ code: "abc123def456" });
    for (const host of ["127.0.0.1:8080", "localhost:3000", "[::1]:9000", "127.5.6.7"]) expect(parseWebhookUrl(`http://${host}/rest/1/abcdef123/`)).toHaveProperty("base");
  });

  it.each([
    ["http://agency.bitrix24.ru/rest/1/abc123def456/", "https"],
    ["http://10.0.0.5/rest/1/abc123def456/", "https"],
    ["http://127.0.0.1.evil.com/rest/1/abc123def456/", "https"],
    ["ftp://agency.bitrix24.ru/rest/1/abc/", "https"],
    ["https://agency.bitrix24.ru/rest/abc123def456/", "path"],
    ["https://agency.bitrix24.ru/rest/1/abc123def456/?x=1", "path"],
    ["https://user:pw@agency.bitrix24.ru/rest/1/abc123def456/", "url"],
    ["not a url", "url"],
  ])("refuses %s (%s)", (url, error) => {
    expect(parseWebhookUrl(url)).toEqual({ error });
  });

  it("masks the code", () => {
    const w = parseWebhookUrl("https://agency.bitrix24.ru/rest/1/abc123def456/");
    if ("error" in w) throw new Error();
    expect(maskWebhookUrl(w)).toBe("https://agency.bitrix24.ru/rest/1/ab••••••56/");
  });
});

describe("batch sub-queries", () => {
  it("are PHP-style queries, encoded once (& in a title stays inside its value)", () => {
    const q = batchQuery("crm.lead.add", { fields: { TITLE: "A & B", PHONE: [{ VALUE: "+7999", VALUE_TYPE: "WORK" }] } });
    const params = new URLSearchParams(q.split("?")[1]);
    expect(q.startsWith("crm.lead.add?")).toBe(true);
    expect(params.get("fields[TITLE]")).toBe("A & B");
    expect(params.get("fields[PHONE][0][VALUE_TYPE]")).toBe("WORK");
  });
});

describe("mapping", () => {
  it("maps statuses in by the contract, custom stages by semantics, owner overrides first", () => {
    const stages = [
      { statusId: "UC_A", name: "Переговоры", semantics: "process" as const, sort: 40 },
      { statusId: "UC_WIN", name: "Оплачено", semantics: "success" as const, sort: 90 },
      { statusId: "UC_LOST", name: "Дорого", semantics: "failure" as const, sort: 95 },
    ];
    const known = new Set(["new", "in_progress", "qualified", "won", "lost", "junk", "peregovory"]);
    expect(["NEW", "IN_PROCESS", "PROCESSED", "CONVERTED", "JUNK", "UC_A", "UC_WIN", "UC_LOST"].map((s) => statusIn(s, stages, {}, known))).toEqual(["new", "in_progress", "qualified", "won", "junk", "in_progress", "won", "lost"]);
    expect(statusIn("UC_A", stages, { UC_A: "peregovory" }, known)).toBe("peregovory");
    expect(statusIn("UC_A", stages, { UC_A: "gone_stage" }, known)).toBe("in_progress");
  });

  it("sends multifields with VALUE_TYPE, ORIGINATOR_ID/ORIGIN_ID, and escapes markup in comments", () => {
    const f = leadFields(
      { id: "L1", channel: "web", siteId: "s1", siteName: "example.ru", name: "Иван Петров", email: "i@ex.ru", phone: "+79991234567", company: null, message: "<b>Срочно</b>", form: "contact", pageUrl: null, referrer: null, utm: { source: "yandex", medium: null, campaign: null, term: null, content: null }, consent: true, customFields: { budget: "100k" }, aiSummary: null, status: "new", assigneeId: "u1" },
      { statusOut: () => "NEW", sourceMap: { "site:s1": "WEBFORM" }, userMap: { u1: 7 }, locale: "ru" },
    );
    expect(f).toMatchObject({ TITLE: "Заявка с сайта example.ru: Иван Петров", NAME: "Иван", LAST_NAME: "Петров", ORIGINATOR_ID: "leadflow", ORIGIN_ID: "L1", SOURCE_ID: "WEBFORM", ASSIGNED_BY_ID: 7, UTM_SOURCE: "yandex", PHONE: [{ VALUE: "+79991234567", VALUE_TYPE: "WORK" }], EMAIL: [{ VALUE: "i@ex.ru", VALUE_TYPE: "WORK" }] });
    expect(f.COMMENTS).toContain("&lt;b&gt;Срочно&lt;/b&gt;");
    expect(f.COMMENTS).toContain("budget: 100k");
  });
});

describe("event domains", () => {
  it("match the portal's host, leniently about scheme, case and a port on one side only", () => {
    expect(sameHost("some.bitrix24.ru", "some.bitrix24.ru")).toBe(true);
    expect(sameHost("https://Some.Bitrix24.ru/", "some.bitrix24.ru")).toBe(true);
    expect(sameHost("127.0.0.1", "127.0.0.1:4567")).toBe(true);
    expect(sameHost("127.0.0.1:4567", "127.0.0.1:4567")).toBe(true);
    expect(sameHost("127.0.0.1:9999", "127.0.0.1:4567")).toBe(false);
    expect(sameHost("evil.bitrix24.ru", "some.bitrix24.ru")).toBe(false);
    expect(sameHost("some.bitrix24.ru.evil.com", "some.bitrix24.ru")).toBe(false);
    expect(sameHost("", "some.bitrix24.ru")).toBe(false);
  });
});
