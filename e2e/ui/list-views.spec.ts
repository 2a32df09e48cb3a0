import { test, expect, seedTenant } from "../fixtures";

// The list as a manager works it: bulk changes, an order, a saved view, and walking the view's
// leads from a lead page. Its own tenant: the bulk change must not touch other tests' leads.
test("bulk status, a saved view, and previous / next through the view", async ({ page, loginPage }) => {
  const own = seedTenant();
  await loginPage.goto();
  await loginPage.login(own.owner, own.password);
  await expect(page).toHaveURL(/\/leads$/);
  const table = page.getByTestId("leads-table");
  await expect(table).toContainText(own.leadNames[0]!);

  // Select two leads and move them to "В работе" in one go.
  await page.getByRole("checkbox", { name: `Выбрать заявку ${own.leadNames[0]}` }).check();
  await page.getByRole("checkbox", { name: `Выбрать заявку ${own.leadNames[2]}` }).check();
  await expect(page.getByTestId("bulk-bar")).toContainText("Выбраны 2 заявки");
  await page.getByTestId("bulk-status").selectOption({ label: "В работе" });
  await expect(page.getByText("Изменены 2 заявки")).toBeVisible();
  await expect(page.getByTestId("bulk-bar")).toHaveCount(0);

  // Filter to them, order by stage, and save the view.
  await page.getByRole("combobox", { name: "Статус" }).selectOption({ label: "В работе" });
  await expect(page).toHaveURL(/status=in_progress/);
  await expect(page.getByTestId("leads-total")).toHaveText("Найдено: 2");
  await page.getByTestId("sort-select").selectOption("updated");
  await expect(page).toHaveURL(/sort=updated/);
  await page.getByTestId("save-view").click();
  await page.getByRole("textbox", { name: "Название вида" }).fill("В работе, свежие");
  await page.getByRole("button", { name: "Сохранить вид" }).click();
  await expect(page.getByText("Вид «В работе, свежие» сохранён")).toBeVisible();

  // The view comes back after a reset, with one click.
  await page.goto("/leads");
  await expect(page.getByTestId("leads-total")).toHaveText("Всего: 3");
  await page.getByRole("button", { name: "В работе, свежие", exact: true }).click();
  await expect(page).toHaveURL(/status=in_progress/);
  await expect(page.getByTestId("leads-total")).toHaveText("Найдено: 2");

  // Open the first lead of the view: next (J) goes to the other one, and back keeps the view.
  const first = table.locator("tbody tr").first().getByRole("link");
  const firstName = (await first.textContent())!.trim();
  await first.click();
  await expect(page.getByTestId("lead-title")).toHaveText(firstName);
  await expect(page.getByTestId("lead-prev")).toHaveCount(0);
  await page.locator("body").click();
  await page.keyboard.press("j");
  await expect(page.getByTestId("lead-title")).not.toHaveText(firstName);
  await expect(page.getByTestId("lead-next")).toHaveCount(0); // the view holds two
  await page.getByTestId("lead-prev").click();
  await expect(page.getByTestId("lead-title")).toHaveText(firstName);
  await page.getByTestId("lead-back").click();
  await expect(page).toHaveURL(/status=in_progress/);
  await expect(page.getByTestId("leads-total")).toHaveText("Найдено: 2");
});

test("the owner sets the first-response target and working hours", async ({ page, loginPage }) => {
  const own = seedTenant();
  await loginPage.goto();
  await loginPage.login(own.owner, own.password);
  await page.goto("/settings/leads");
  const form = page.getByTestId("lead-rules-form");
  await form.getByRole("spinbutton", { name: "Целевое время первого ответа" }).fill("30");
  await page.getByTestId("working-hours-enabled").check();
  await form.getByRole("button", { name: "Сб" }).click();
  await form.getByLabel("Конец рабочего дня").fill("19:00");
  await page.getByTestId("lead-rules-save").click();
  await expect(page.getByText("Правила сохранены")).toBeVisible();
  await page.reload();
  await expect(form.getByRole("spinbutton", { name: "Целевое время первого ответа" })).toHaveValue("30");
  await expect(page.getByTestId("working-hours-enabled")).toBeChecked();
  await expect(form.getByRole("button", { name: "Сб" })).toHaveAttribute("aria-pressed", "true");
  await expect(form.getByLabel("Конец рабочего дня")).toHaveValue("19:00");
  // A deadline before the start is refused with the field named.
  await form.getByLabel("Начало рабочего дня").fill("20:00");
  await page.getByTestId("lead-rules-save").click();
  await expect(form.getByRole("alert").first()).toBeVisible();
});
