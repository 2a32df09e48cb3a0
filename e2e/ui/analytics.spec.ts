import { test, expect, seedTenant } from "../fixtures";

// A manager's look at the month: KPIs and drawn charts, another period, and a source row that
// opens exactly its leads. Its own tenant, so the counts are known: three leads today, two from yandex.
test("a manager reads the dashboard, changes the period and drills down from a source", async ({ page, loginPage }) => {
  const own = seedTenant();
  await loginPage.goto();
  await loginPage.login(own.owner, own.password);
  await page.goto("/analytics");
  await expect(page.getByTestId("kpi-leads")).toContainText("3");
  await expect(page.getByTestId("kpis").locator("> div")).toHaveCount(8);
  // Tremor draws after hydration: the SVG is there.
  await expect(page.getByTestId("chart-over-time").locator("svg.recharts-surface").first()).toBeVisible();
  await expect(page.getByTestId("chart-statuses").locator("svg").first()).toBeVisible();
  // Every chart has its table.
  await page.getByTestId("chart-funnel").getByRole("button", { name: "Таблица" }).click();
  await expect(page.getByTestId("chart-funnel").getByRole("table")).toContainText("Новая");

  await page.getByTestId("range-7d").click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByTestId("kpi-leads")).toContainText("3");
  await page.getByTestId("range-last_month").click();
  await expect(page).toHaveURL(/range=last_month/);
  await expect(page.getByText("За этот период заявок нет")).toBeVisible();
  await page.getByTestId("range-30d").click();
  await expect(page.getByTestId("kpi-leads")).toContainText("3");

  const row = page.getByTestId("sources-table").getByRole("row", { name: /yandex/ });
  await expect(row).toContainText("2");
  await row.getByRole("link", { name: "yandex" }).click();
  await expect(page).toHaveURL(/\/leads\?.*source=yandex/);
  await expect(page.getByTestId("leads-total")).toHaveText("Найдено: 2");
  await expect(page.getByTestId("source-chip")).toContainText("yandex");
});

test("a salesperson sees their own numbers only", async ({ page, loginPage }) => {
  const own = seedTenant();
  await loginPage.goto();
  await loginPage.login(own.sales, own.password);
  await page.goto("/analytics");
  await expect(page.getByText("Вы видите только свои заявки.")).toBeVisible();
  await expect(page.getByTestId("kpi-leads")).toContainText("0");
  await expect(page.getByTestId("people-table")).toHaveCount(0);
});
