import { test, expect } from "../fixtures";

// What a new user met in the browser: a hydration error away from Moscow time, a missing favicon,
// a nested <main>, plumbing on the timeline, and an API page a salesperson could open.

for (const timezoneId of ["UTC", "Asia/Yekaterinburg", "America/New_York"]) {
  test.describe(`in the ${timezoneId} time zone`, () => {
    test.use({ timezoneId });
    test("the leads list and a lead page load without hydration errors", async ({ page, loginPage, tenant }) => {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      await loginPage.goto();
      await loginPage.login(tenant.owner, tenant.password);
      await expect(page).toHaveURL(/\/leads$/);
      await page.reload(); // a full load, server-rendered with the data
      await expect(page.getByTestId("leads-table")).toContainText(tenant.leadNames[0]!);
      await page.getByRole("link", { name: tenant.leadNames[0]! }).click();
      await expect(page.getByTestId("lead-title")).toHaveText(tenant.leadNames[0]!);
      await page.reload();
      await expect(page.getByTestId("lead-title")).toBeVisible();
      expect(errors.filter((e) => /hydrat|#418|#425|#423|did not match/i.test(e))).toEqual([]);
    });
  });
}

test("the lead's timeline shows news, not the queue's plumbing", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.getByRole("link", { name: tenant.leadNames[1]! }).click();
  await expect(page.getByText("Заявка создана")).toBeVisible();
  await expect(page.getByText("принята в обработку")).toHaveCount(0);
});

test("favicon.ico is served", async ({ request }) => {
  const res = await request.get("/favicon.ico");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/image\//);
});

test("not-found pages have one <main>", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.goto("/leads/00000000-0000-4000-8000-000000000000");
  await expect(page.getByText("404")).toBeVisible();
  await expect(page.locator("main")).toHaveCount(1);
  const missing = await page.goto("/no-such-page");
  expect(missing?.status()).toBe(404);
  await expect(page.locator("main")).toHaveCount(1);
});

test("the API documentation is the owner's, in the UI's language", async ({ page, loginPage, tenant, context, baseURL }) => {
  await loginPage.goto();
  await loginPage.login(tenant.sales, tenant.password);
  await page.goto("/settings/api");
  await expect(page.getByTestId("settings-forbidden")).toBeVisible();
  await expect(page.getByText("/api/v1/leads")).toHaveCount(0);

  await context.clearCookies();
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.goto("/settings/api");
  await expect(page.getByText("Список заявок, сначала новые")).toBeVisible();
  await expect(page.getByText("Добавить заметку в историю заявки")).toBeVisible();
  await expect(page.getByText("List leads, newest first")).toHaveCount(0);
  await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);
  await page.reload();
  await expect(page.getByText("List leads, newest first")).toBeVisible();
});
