import { test, expect, seedTenant } from "../fixtures";

// A manager imports a 1 000-row CSV: columns mapped from Russian headers, progress shown (and kept
// across a reload), every row landing as a lead, the bad ones reported by row number.
test("a 1,000-row CSV import maps the columns, shows progress, survives a reload and lands", async ({ page, loginPage }) => {
  test.setTimeout(120_000);
  const tenant = seedTenant(); // its own: a thousand new leads would push the shared tenant's leads off other tests' first pages
  const tag = Date.now().toString(36);
  const lines = ["ФИО;Электронная почта;Телефон;Комментарий".replaceAll(";", ",")];
  for (let i = 0; i < 1000; i++) lines.push(`Клиент ${i},imp${i}-${tag}@example.ru,+7 916 ${String(1000000 + i).slice(1, 4)}-${String(i % 100).padStart(2, "0")}-${String(i % 97).padStart(2, "0")},"Нужен сайт, ${i}"`);
  lines.push("Без контактов,,,"); // row 1002: refused, reported
  const csv = `\uFEFF${lines.join("\r\n")}\r\n`;

  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.goto("/leads");
  await page.getByTestId("import-link").click();
  await page.getByTestId("import-file").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
  const mapping = page.getByTestId("import-mapping");
  await expect(mapping).toBeVisible();
  await expect(mapping.getByLabel("Поле для столбца ФИО")).toHaveValue("name");
  await expect(mapping.getByLabel("Поле для столбца Электронная почта")).toHaveValue("email");
  await expect(mapping.getByLabel("Поле для столбца Телефон")).toHaveValue("phone");
  await expect(mapping.getByLabel("Поле для столбца Комментарий")).toHaveValue("message");
  await page.getByTestId("import-start").click();

  await expect(page).toHaveURL(/\/leads\/import\?id=/);
  await expect(page.getByRole("progressbar")).toBeVisible();
  await page.reload(); // the progress is the server's: a reload picks it up again
  await expect(page.getByTestId("import-status")).toHaveText("Готово", { timeout: 90_000 });
  await expect(page.getByTestId("import-created")).toHaveText("1000");
  await expect(page.getByTestId("import-failed")).toHaveText("1");
  await expect(page.getByTestId("import-errors")).toContainText("Строка 1002");

  await page.getByRole("link", { name: "Показать импортированные" }).click();
  await expect(page.getByTestId("leads-total")).toContainText("1000");
});
