import { test, expect } from "../fixtures";

test.describe("authentication", () => {
  test("a guarded page redirects to /login, and login lands on the leads list", async ({ page, loginPage, tenant }) => {
    await page.goto("/leads");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await expect(page.getByRole("heading", { name: "Вход в LeadFlow" })).toBeVisible();
    await loginPage.login(tenant.owner, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);
    await expect(page.getByRole("heading", { name: "Заявки" })).toBeVisible();
    const table = page.getByTestId("leads-table");
    for (const name of tenant.leadNames) await expect(table.getByText(name)).toBeVisible();
  });

  test("login returns to the page that asked for it", async ({ page, loginPage, tenant }) => {
    await page.goto("/board");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await loginPage.login(tenant.owner, tenant.password);
    await expect(page).toHaveURL(/\/board$/);
    await expect(page.getByRole("heading", { name: "Воронка" })).toBeVisible();
  });

  test("a user of two tenants switches between them and sees only the active one's leads", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.owner, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);
    const table = page.getByTestId("leads-table");
    await expect(table.getByText(tenant.leadNames[0]!)).toBeVisible();
    await expect(table.getByText(tenant.secondLeadName)).toHaveCount(0);
    await page.getByRole("combobox", { name: "Компания" }).selectOption({ label: tenant.secondTenantName });
    await expect(table.getByText(tenant.secondLeadName)).toBeVisible();
    await expect(table.getByText(tenant.leadNames[0]!)).toHaveCount(0);
    // The choice is part of the session: a reload keeps it.
    await page.reload();
    await expect(page.getByTestId("leads-table").getByText(tenant.secondLeadName)).toBeVisible();
    // Back to the first (the next login opens the last used tenant, and the other tests expect the first).
    await page.getByRole("combobox", { name: "Компания" }).selectOption({ label: `Агентство ${tenant.slug.slice(4)}` });
    await expect(page.getByTestId("leads-table").getByText(tenant.leadNames[0]!)).toBeVisible();
  });

  test("a wrong password is refused with a message", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.owner, "wrong-password");
    await expect(page.getByRole("alert").filter({ hasText: "Неверная почта или пароль" })).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  });

  test("logout ends the session", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.owner, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);
    await page.getByRole("button", { name: "Выйти" }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto("/leads");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  });

  test("a salesperson does not see owner settings", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.sales, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);
    const nav = page.getByRole("navigation", { name: "Основная навигация" });
    await expect(nav.getByRole("link", { name: "Заявки" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Настройки" })).toHaveCount(0);
    await page.goto("/settings");
    await expect(page.getByTestId("settings-forbidden")).toBeVisible();
    await expect(page.getByTestId("users-table")).toHaveCount(0);
  });

  test("the owner sees settings with its users", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.owner, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);
    await page.goto("/settings/users");
    await expect(page.getByTestId("users-table")).toContainText(tenant.sales);
    await expect(page.getByTestId("users-table")).toContainText(tenant.owner);
  });

  test("the login page speaks English when NEXT_LOCALE=en", async ({ page, context, baseURL }) => {
    await context.addCookies([{ name: "NEXT_LOCALE", value: "en", url: baseURL! }]);
    await page.goto("/login");
    await expect(page.getByLabel("Email")).toBeVisible();
    await expect(page.getByLabel("Password")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  });
});

test.describe("login throttling", () => {
  // Its own client address, so the per-IP counter does not touch the other tests.
  test.use({ extraHTTPHeaders: { "x-forwarded-for": `198.51.100.${Math.floor(Math.random() * 250) + 1}` } });

  test("repeated failed logins for one e-mail are throttled", async ({ page, loginPage }) => {
    // Six sign-ins, each an argon2 verification: on a busy 2-core machine this outlasts the default 30 s.
    test.setTimeout(90_000);
    const email = `nobody-${Date.now()}@e2e.local`;
    await loginPage.goto();
    for (let i = 0; i < 5; i++) {
      await loginPage.login(email, `wrong-${i}`);
      await expect(page.getByRole("alert").filter({ hasText: "Неверная почта или пароль" })).toBeVisible();
      // The form clears the password after a failed attempt: wait for that, or the next fill races it
      // (an emptied required field then blocks the next submission).
      await expect(page.getByLabel("Пароль")).toHaveValue("");
    }
    await loginPage.login(email, "wrong-again");
    await expect(page.getByRole("alert").filter({ hasText: "Слишком много попыток входа" })).toBeVisible();
  });
});
