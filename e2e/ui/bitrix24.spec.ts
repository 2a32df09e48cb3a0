import { test, expect, seedTenant } from "../fixtures";
import { cli } from "../support/cli";
import { startPortal, type Portal } from "../../test/bitrix24-portal";

// The owner connects a Bitrix24 portal (the stand-in, built to BITRIX24_CONTRACT.md) in Settings,
// a website lead reaches it through the worker despite one failed request, and the sync log and the
// lead page tell what happened. Its own tenant: a connected portal must not follow other tests.

let portal: Portal;
test.beforeEach(async () => {
  portal = await startPortal();
});
test.afterEach(async () => {
  await portal.close();
});

test("the owner connects Bitrix24 in Settings; a lead goes there once and the sync log shows the retry and the success", async ({ page, loginPage, baseURL }) => {
  test.setTimeout(90_000);
  const tenant = seedTenant();
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.goto("/settings/integrations");
  await expect(page.getByTestId("b24-not-connected")).toBeVisible();

  // A URL the portal refuses is named under the field.
  const url = page.getByTestId("b24-webhook-url");
  await url.fill(portal.webhookUrl.replace(/\/rest\/1\/[^/]+\//, "/rest/1/wrongcode123/"));
  await page.getByTestId("b24-connect").click();
  await expect(page.getByText(/INVALID_CREDENTIALS/)).toBeVisible();

  await url.fill(portal.webhookUrl);
  await page.getByTestId("b24-connect-token").fill("e2etoken1234567890");
  await page.getByTestId("b24-connect").click();
  await expect(page.getByTestId("b24-portal")).toHaveText(portal.domain);
  await expect(page.getByTestId("b24-masked-url")).not.toContainText(new URL(portal.webhookUrl).pathname.split("/")[3]!);

  // A website lead; the portal's request limit refuses the first request.
  portal.fault("*", "query_limit", 1);
  const site = cli<{ secretKey: string }>("site", "create", "--tenant", tenant.slug, "--name", "b24.example.ru", "--origin", "https://b24.example.ru");
  const res = await fetch(`${baseURL}/api/intake`, { method: "POST", headers: { authorization: `Bearer ${site.secretKey}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Ирина Лебедева", email: `irina-${Date.now()}@example.ru`, message: "Нужна реклама в Директе" }) });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await expect.poll(() => [...portal.leads.values()].filter((l) => l.ORIGIN_ID === id).length, { timeout: 30_000 }).toBe(1);

  await page.goto("/settings/integrations/log");
  const rows = page.getByTestId("b24-log-row");
  await expect(rows.filter({ hasText: "Ирина Лебедева" }).first()).toBeVisible();
  await expect(page.locator('[data-testid="b24-log-row"][data-outcome="ok"]').filter({ hasText: "crm.lead.add" })).toHaveCount(1);
  await expect(page.locator('[data-testid="b24-log-row"][data-outcome="retry"]').filter({ hasText: "crm.lead.add" })).toHaveCount(1);
  // A row opens to what was sent and what came back.
  await page.locator('[data-testid="b24-log-row"][data-outcome="ok"]').first().getByRole("button").first().click();
  await expect(page.getByText(`"ORIGIN_ID": "${id}"`)).toBeVisible();

  // The lead page links to the Bitrix24 lead.
  await page.goto(`/leads/${id}`);
  const bitrixId = [...portal.leads.values()].find((l) => l.ORIGIN_ID === id)!.ID;
  await expect(page.getByTestId("lead-bitrix24-link")).toContainText(String(bitrixId));
});
