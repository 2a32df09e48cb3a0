import { test, expect } from "../fixtures";

// The board: every column reachable, drag and drop and the same move by keyboard, kept after reload.
test("a manager drags a card to another column and the status persists; the same move works by keyboard", async ({ page, loginPage, tenant }) => {
  await loginPage.goto();
  await loginPage.login(tenant.owner, tenant.password);
  await page.goto("/board");
  const name = tenant.leadNames[0]!;
  const newColumn = page.getByTestId("column-new");
  const inProgress = page.getByTestId("column-in_progress");
  const qualified = page.getByTestId("column-qualified");
  // All six columns are on screen at 1280 px, none hidden off to the side.
  for (const key of ["new", "in_progress", "qualified", "won", "lost", "junk"]) await expect(page.getByTestId(`column-${key}`)).toBeInViewport();

  const card = newColumn.locator("li", { hasText: name });
  await expect(card).toContainText("назад"); // relative ages render once the board is interactive
  const from = (await card.boundingBox())!;
  const to = (await inProgress.boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 20, from.y + from.height / 2, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + 60, { steps: 10 });
  const saved = page.waitForResponse((r) => r.url().includes("leads.setStatus") && r.ok());
  await page.mouse.up();
  await expect(inProgress).toContainText(name); // at once (optimistic)…
  await saved; // …and stored
  await page.reload();
  await expect(page.getByTestId("column-in_progress")).toContainText(name);

  // By keyboard: focus the card, Space to pick up, → to the next column, Space to drop.
  const moved = page.getByTestId("column-in_progress").locator("li", { hasText: name });
  await expect(moved).toContainText("назад");
  await moved.focus();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowRight");
  await expect(qualified).toHaveClass(/ring-blue-300/); // the card is over the next column
  const savedAgain = page.waitForResponse((r) => r.url().includes("leads.setStatus") && r.ok());
  await page.keyboard.press("Space");
  await expect(qualified).toContainText(name);
  await savedAgain;
  await page.reload();
  await expect(page.getByTestId("column-qualified")).toContainText(name);
  await page.getByRole("link", { name }).click();
  await expect(page.getByTestId("status-select")).toHaveValue("qualified");
});
