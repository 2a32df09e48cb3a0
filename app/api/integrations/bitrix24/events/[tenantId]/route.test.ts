import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { closeDb, getDb } from "@/db";
import { withTenant } from "@/db/tenant";
import { connectBitrix24, disconnectBitrix24 } from "@/lib/integrations/bitrix24/connection";
import { makeTenant } from "@/test/factories";
import { serverUrl } from "@/test/http";
import { startPortal, type Portal } from "@/test/bitrix24-portal";

// The events endpoint over real HTTP on the built server, fed by the stand-in portal's own
// form-encoded deliveries (BITRIX24_CONTRACT §8), and by forgeries.

const TOKEN = "evtoken1234567890abcdef";
let portal: Portal;
let T: Awaited<ReturnType<typeof makeTenant>>;
let url = "";

beforeEach(async () => {
  portal = await startPortal();
  T = await makeTenant("b24e");
  await connectBitrix24(T.tenantId, T.ownerUserId, { webhookUrl: portal.webhookUrl, applicationToken: TOKEN });
  url = `${serverUrl()}/api/integrations/bitrix24/events/${T.tenantId}`;
});
afterEach(async () => {
  await withTenant(T.tenantId, (tx) => disconnectBitrix24(tx, T.tenantId, T.ownerUserId));
  await portal.close();
});
afterAll(() => closeDb());

const queuedPulls = async () => {
  const [r] = (await getDb().execute(sql`select
    (select count(*)::int from leadflow_queue.outbox where task = 'bitrix24:pull' and payload->>'tenantId' = ${T.tenantId}) +
    (select count(*)::int from graphile_worker._private_jobs j join graphile_worker._private_tasks k on k.id = j.task_id
      where k.identifier = 'bitrix24:pull' and j.payload->>'tenantId' = ${T.tenantId}) as n`)) as unknown as { n: number }[];
  return r!.n;
};

function form(over: Record<string, string> = {}) {
  const fields: Record<string, string> = {
    event: "ONCRMLEADUPDATE",
    event_handler_id: "975",
    "data[FIELDS][ID]": "1001",
    ts: String(Math.floor(Date.now() / 1000)),
    "auth[domain]": portal.domain,
    "auth[client_endpoint]": `http://${portal.domain}/rest/`,
    "auth[server_endpoint]": "https://oauth.bitrix.info/rest/",
    "auth[member_id]": portal.memberId,
    "auth[application_token]": TOKEN,
    ...over,
  };
  return new URLSearchParams(fields).toString();
}
const post = (body: string, type = "application/x-www-form-urlencoded") => fetch(url, { method: "POST", headers: { "content-type": type }, body });

describe("POST /api/integrations/bitrix24/events/{tenantId}", () => {
  it("accepts the portal's own delivery, answers 200 and queues the re-read", async () => {
    portal.setOutgoingWebhook({ handlerUrl: url, applicationToken: TOKEN });
    const add = await fetch(`${portal.webhookUrl}crm.lead.add.json`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fields: { TITLE: "x" } }) }).then((r) => r.json());
    portal.uiUpdate(Number(add.result), { STATUS_ID: "IN_PROCESS" });
    await portal.idle();
    expect(portal.deliveries.map((d) => d.status)).toEqual([200]);
    expect(portal.deliveries[0]!.body).toContain("auth%5Bapplication_token%5D=");
    expect(await queuedPulls()).toBe(1);
  });

  it.each([
    ["a wrong application token", { "auth[application_token]": "forged-token-1234567890" }],
    ["another portal's domain", { "auth[domain]": "evil.bitrix24.ru" }],
  ])("refuses %s with 403 and queues nothing", async (_l, over) => {
    const r = await post(form(over));
    expect(r.status).toBe(403);
    expect((await r.json()).error.code).toBe("forbidden");
    expect(await queuedPulls()).toBe(0);
  });

  it("names what is missing or unstorable, never a 500", async () => {
    const missing = await post("event=ONCRMLEADUPDATE&data%5BFIELDS%5D%5BID%5D=5");
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.issues.map((i: { path: string }) => i.path)).toContain("auth");
    const nul = await post(form({ "auth[application_token]": "a\u0000b" }));
    expect(nul.status).toBe(400);
    expect((await nul.json()).error.issues[0].path).toBe("auth.application_token");
    for (const id of ["1 or 1=1", "0", "99999999999", "-5", ""]) {
      const badId = await post(form({ "data[FIELDS][ID]": id }));
      expect(badId.status, id).toBe(400);
    }
    expect((await post("%FF%FE=1")).status).toBe(400);
    expect((await post("{}", "text/plain")).status).toBe(415);
    expect(await queuedPulls()).toBe(0);
  });

  it("a tenant without Bitrix24 answers like a wrong token (403), not a tenant id 404; 405 for other methods", async () => {
    const other = await makeTenant("b24e-none");
    expect((await fetch(`${serverUrl()}/api/integrations/bitrix24/events/${other.tenantId}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form() })).status).toBe(403);
    expect((await fetch(`${serverUrl()}/api/integrations/bitrix24/events/not-a-uuid`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form() })).status).toBe(404);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toContain("POST");
  });
});
