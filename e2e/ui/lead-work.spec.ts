import { execFileSync } from "node:child_process";
import { test, expect } from "../fixtures";

// A salesperson's minute with a lead: find it, open it, note, contacted, status — the timeline follows.
test("a salesperson finds a lead by search, notes it, marks it contacted and moves it on", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.sales, tenant.password);
  await expect(page).toHaveURL(/\/leads/);
  const name = tenant.leadNames[2]!; // "Анна Кузнецова", unassigned
  await page.getByRole("searchbox").fill("кузнецов");
  await expect(page.getByTestId("leads-table")).toContainText(name);
  await expect(page.getByTestId("leads-table")).not.toContainText(tenant.leadNames[0]!);
  await page.getByRole("link", { name }).click();
  await expect(page.getByTestId("lead-title")).toHaveText(name);
  await expect(page.getByTestId("waiting-timer")).toBeVisible();

  await page.getByTestId("note-composer").fill("Просит перезвонить после обеда");
  await page.getByTestId("add-note").click();
  await expect(page.getByTestId("timeline")).toContainText("Просит перезвонить после обеда");

  await page.getByTestId("contacted").click();
  await expect(page.getByTestId("timeline")).toContainText("Связался с клиентом");
  await expect(page.getByTestId("waiting-timer")).toHaveCount(0);

  await page.getByTestId("assignee-select").selectOption({ label: "Сергей Продажи (я)" });
  await expect(page.getByTestId("timeline")).toContainText("Назначен ответственный");

  await page.getByTestId("status-select").selectOption({ label: "В работе" });
  await expect(page.getByTestId("timeline")).toContainText("Статус изменён: Новая → В работе");
  await page.reload();
  await expect(page.getByTestId("status-select")).toHaveValue("in_progress");
  // Newest first.
  await expect(page.getByTestId("timeline").locator("li").first()).toContainText("Статус изменён");

  // The keyboard: N focuses the note box.
  await page.locator("body").click();
  await page.keyboard.press("n");
  await expect(page.getByTestId("note-composer")).toBeFocused();
});

test("a loss keeps its reason on the timeline", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.getByRole("link", { name: tenant.leadNames[1]! }).click();
  await page.getByTestId("status-select").selectOption({ label: "Проиграна" });
  await page.getByTestId("status-reason").fill("Выбрали другое агентство");
  await page.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByTestId("timeline")).toContainText("Выбрали другое агентство");
});

test("contact details are edited with intake's validation", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.getByRole("link", { name: tenant.leadNames[0]! }).click();
  await page.getByTestId("edit-contact").click();
  const form = page.getByTestId("contact-form");
  await form.getByLabel("Почта").fill("maria@localhost");
  await form.getByRole("button", { name: "Сохранить" }).click();
  await expect(form.getByRole("alert")).toContainText("Укажите почту");
  await form.getByLabel("Почта").fill("maria@example.ru");
  await form.getByLabel("Телефон").fill("8 916 555 01 02");
  await form.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByText("+7 916 555-01-02")).toBeVisible();
  await expect(page.getByTestId("timeline")).toContainText("Контакты изменены");
});

test("the list's filters live in the URL, the count follows them, a row opens its lead and Back restores the view", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  const name = tenant.leadNames[0]!; // "Мария Иванова"
  await page.getByRole("searchbox").fill("иванова");
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(page.getByTestId("leads-total")).toHaveText("Найдено: 1");
  await expect(page.getByTestId("leads-table").locator("tbody tr")).toHaveCount(1);
  // A shared link opens the same view.
  const shared = page.url();
  await page.goto(shared);
  await expect(page.getByTestId("leads-table").locator("tbody tr")).toHaveCount(1);
  // The row (not only the name) opens the lead: here its date cell (the first cell is the checkbox).
  await page.getByTestId("leads-table").locator("tbody tr td").nth(1).click();
  await expect(page.getByTestId("lead-title")).toHaveText(name);
  await page.goBack();
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(page.getByRole("searchbox")).toHaveValue("иванова");
  await expect(page.getByTestId("leads-table").locator("tbody tr")).toHaveCount(1);
  await page.getByRole("button", { name: "Сбросить" }).click();
  await expect(page).toHaveURL(/\/leads$/);
  await expect(page.getByTestId("leads-total")).toContainText("Всего:");
});

test("a next step shows in Сегодня with a count in the navigation; done logs it and asks for the next one", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.getByRole("link", { name: tenant.leadNames[0]! }).click();
  await page.getByTestId("next-step-add").click();
  const form = page.getByTestId("next-step-form");
  await form.getByLabel("Что").selectOption({ label: "Звонок" });
  await form.getByLabel("Когда").fill("2026-01-15T11:30"); // in the past: overdue
  await form.getByLabel("Комментарий").fill("Уточнить сроки");
  await form.getByRole("button", { name: "Сохранить" }).click();
  await expect(page.getByTestId("next-step")).toContainText("Звонок — Уточнить сроки");
  await expect(page.getByTestId("next-step")).toContainText("просрочено");
  // The owner is not the assignee: take the lead, so it is on their Today list.
  await page.getByTestId("assignee-select").selectOption({ label: "Ольга Владелец (я)" });
  await expect(page.getByTestId("today-count")).toHaveText(/^[1-9]\d*$/);

  await page.getByRole("link", { name: "Сегодня" }).click();
  const overdue = page.getByTestId("today-overdue");
  await expect(overdue).toContainText(tenant.leadNames[0]!);
  await expect(overdue).toContainText("Уточнить сроки");
  await overdue.locator("li", { hasText: tenant.leadNames[0]! }).getByRole("button", { name: "Выполнено" }).click();
  await expect(page.getByTestId("lead-title")).toHaveText(tenant.leadNames[0]!);
  await expect(page.getByTestId("next-step-form")).toBeVisible();
  await expect(page.getByTestId("timeline")).toContainText("Следующий шаг выполнен");
});

test("a salesperson switches off taking new leads, and it stays off", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.sales, tenant.password);
  const toggle = page.getByTestId("availability");
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  const saved = page.waitForResponse((r) => r.url().includes("me.setAvailable") && r.ok());
  await toggle.click();
  await saved;
  await expect(toggle).toHaveText("Не принимаю заявки");
  await page.reload();
  await expect(page.getByTestId("availability")).toHaveAttribute("aria-checked", "false");
  await page.getByTestId("availability").click();
  await expect(page.getByTestId("availability")).toHaveAttribute("aria-checked", "true");
});

test("CSV export downloads the filtered rows, UTF-8 with a BOM", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.getByRole("searchbox").fill("смирнов");
  await expect(page.getByTestId("leads-total")).toHaveText("Найдено: 1");
  const download = page.waitForEvent("download");
  await page.getByTestId("export-csv").click();
  const file = await (await download).createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of file) chunks.push(c as Buffer);
  const bytes = Buffer.concat(chunks);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = bytes.toString("utf8");
  const lines = text.trim().split("\r\n");
  expect(lines[0]).toContain("Имя");
  expect(lines).toHaveLength(2);
  expect(text).toContain(tenant.leadNames[1]!);
  expect(text).not.toContain(tenant.leadNames[0]!);
});

test("a new lead shows up as a badge without a reload, and one click brings it in", async ({ page, loginPage, tenant }) => {
  test.setTimeout(60_000);
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await expect(page.getByTestId("leads-table")).toBeVisible();
  const name = `Новенький ${Date.now().toString(36)}`;
  execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "e2e/support/add-lead.ts", tenant.tenantId, name], { env: process.env });
  await expect(page.getByTestId("new-leads")).toHaveText("1 новая заявка — показать", { timeout: 25_000 });
  await page.getByTestId("new-leads").click();
  await expect(page.getByTestId("leads-table")).toContainText(name);
  await expect(page.getByTestId("new-leads")).toHaveCount(0);
});
