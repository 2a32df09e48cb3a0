import { test, expect, seedTenant } from "../fixtures";

// The AI panel with the built-in offline model: the summary streams in as the page opens (several
// chunks before the end), a reply draft streams on demand, and a category correction persists.
test("the summary streams into the lead page, and a category correction persists", async ({ page, loginPage }) => {
  const own = seedTenant();
  // Count the summary's text changes from the moment it exists.
  await page.addInitScript(() => {
    const w = window as unknown as { __summaryChanges: number };
    w.__summaryChanges = 0;
    new MutationObserver(() => {
      const el = document.querySelector('[data-testid="ai-summary"]');
      if (el && !el.getAttribute("data-watched")) {
        el.setAttribute("data-watched", "1");
        new MutationObserver(() => w.__summaryChanges++).observe(el, { childList: true, characterData: true, subtree: true });
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await loginPage.goto();
  await loginPage.login(own.owner, own.password);
  await page.getByRole("link", { name: own.leadNames[0]! }).click();
  const summary = page.getByTestId("ai-summary");
  await expect(summary).toContainText(own.leadNames[0]!.split(" ")[0]!);
  await expect(summary).not.toHaveAttribute("aria-busy", "true");
  expect(await page.evaluate(() => (window as unknown as { __summaryChanges: number }).__summaryChanges)).toBeGreaterThan(2);

  await page.getByTestId("ai-draft").click();
  await expect(page.getByTestId("ai-draft-text")).toHaveValue(/Здравствуйте, Мария!/);

  await page.getByTestId("ai-category").selectOption({ label: "Дизайн" });
  await expect(page.getByText("Категория сохранена")).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("ai-category")).toHaveValue("web_design");
  await expect(page.getByTestId("timeline")).toContainText("Категория изменена");
});
