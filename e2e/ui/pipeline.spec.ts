import { test, expect, seedTenant } from "../fixtures";

// Settings → Pipeline: the owner adds a stage, moves it up, and the board shows it as a column there.
test("the owner adds the stage «Переговоры», moves it up, and sees it as a column on the board", async ({ page, loginPage }) => {
  const tenant = seedTenant(); // its own: a seventh column would change the shared tenant's board for other tests
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.goto("/settings/pipeline");

  const form = page.getByTestId("new-stage-form");
  const ru = form.getByLabel("Название по-русски");
  // The live preview answers only once the page is interactive: type until it does.
  await expect(async () => {
    await ru.fill("Переговоры");
    await expect(form.getByTestId("stage-preview")).toHaveText("Переговоры", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await form.getByTitle("Фиолетовый").click();
  await expect(form.getByRole("radio", { name: "Фиолетовый" })).toBeChecked();
  await expect(form.getByTestId("stage-preview").locator("span")).toHaveClass(/bg-violet-50/);

  await form.getByRole("button", { name: "Добавить этап" }).click();
  const order = () => page.getByTestId("pipeline-stages").locator(":scope > li").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
  await expect.poll(order).toEqual(["stage-new", "stage-in_progress", "stage-qualified", "stage-peregovory", "stage-won", "stage-lost", "stage-junk"]);
  await expect(ru).toHaveValue(""); // the form is ready for the next one

  const moved = page.waitForResponse((r) => r.url().includes("settings.reorderStages") && r.ok());
  await page.getByRole("button", { name: "Поднять «Переговоры»" }).click();
  await moved;
  await expect.poll(order).toEqual(["stage-new", "stage-in_progress", "stage-peregovory", "stage-qualified", "stage-won", "stage-lost", "stage-junk"]);
  // `new` cannot leave the top, nor can a final stage move.
  await expect(page.getByRole("button", { name: "Поднять «Новая»" })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Поднять «Успешно»" })).toBeDisabled();

  await page.goto("/board");
  const column = page.getByTestId("column-peregovory");
  await expect(column).toBeVisible();
  await expect(column).toContainText("Переговоры");
  const columns = await page.getByTestId("board").locator(":scope > section").evaluateAll((els) => els.map((e) => e.getAttribute("data-testid")));
  expect(columns).toEqual(["column-new", "column-in_progress", "column-peregovory", "column-qualified", "column-won", "column-lost", "column-junk"]);

  // At phone width the page fits the screen: no sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/settings/pipeline");
  await expect(page.getByTestId("stage-peregovory")).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
