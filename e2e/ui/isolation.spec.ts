import { test, expect } from "../fixtures";

// Another tenant's data is unreachable through the UI, even by a URL guessed or leaked.
test.describe("tenant isolation in the UI", () => {
  test("a salesperson of one agency cannot open another agency's lead", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.sales, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);
    const res = await page.goto(`/leads/${tenant.secondLeadId}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByText("Страница не найдена")).toBeVisible();
    await expect(page.getByText(tenant.secondLeadName)).toHaveCount(0);
  });

  test("the tRPC API does not return another tenant's lead either", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.sales, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);
    const input = encodeURIComponent(JSON.stringify({ "0": { json: { id: tenant.secondLeadId } } }));
    const res = await page.request.get(`/api/trpc/leads.get?batch=1&input=${input}`);
    expect(res.status()).toBe(404);
    expect(await res.text()).not.toContain(tenant.secondLeadName);
  });
});
