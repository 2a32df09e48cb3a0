import { test, expect, LoginPage } from "../fixtures";

test.describe("users in Settings", () => {
  test("the owner invites a salesperson, who signs in with the one-time password, sets their own and works; deactivated, their next page goes to /login", async ({
    browser,
    page,
    loginPage,
    tenant,
    baseURL,
  }) => {
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    await loginPage.goto();
    await loginPage.login(tenant.owner, tenant.password);
    await expect(page).toHaveURL(/\/leads$/);

    // Invite.
    await page.goto("/settings/users");
    const email = `invited-${Date.now()}@e2e.local`;
    const form = page.getByTestId("invite-form");
    await form.getByLabel("Электронная почта").fill(email);
    await form.getByLabel("Имя").fill("Ирина Новая");
    await form.getByLabel("Роль").selectOption("sales");
    await form.getByRole("button", { name: "Пригласить" }).click();

    // The one-time password, shown once, copied.
    const created = page.getByTestId("invite-created");
    await expect(created).toContainText(email);
    const otp = (await created.getByTestId("one-time-password").textContent())!.trim();
    expect(otp).toMatch(/^[A-HJ-NP-Za-km-z2-9]{12}$/);
    await created.getByRole("button", { name: "Копировать" }).click();
    await expect(created.getByRole("button", { name: "Скопировано" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(otp);
    const row = page.getByTestId("member-row").filter({ hasText: email });
    await expect(row).toContainText("Ждёт первого входа");
    await expect(row.getByRole("combobox")).toHaveValue("sales");

    // Inviting the same address again names the field.
    await form.getByLabel("Электронная почта").fill(email);
    await form.getByRole("button", { name: "Пригласить" }).click();
    await expect(form.getByRole("alert")).toContainText("Этот адрес уже есть в списке пользователей");

    // The new user: one-time password → their own → the leads.
    await page.getByRole("button", { name: "Выйти" }).click();
    await expect(page).toHaveURL(/\/login/);
    await loginPage.login(email, otp);
    await expect(page).toHaveURL(/\/password$/);
    await expect(page.getByRole("heading", { name: "Задайте свой пароль" })).toBeVisible();
    // The app itself is closed until then.
    await page.goto("/leads");
    await expect(page).toHaveURL(/\/password$/);
    await page.getByLabel("Новый пароль").fill("my-own-password-1");
    await page.getByLabel("Повторите пароль").fill("my-own-password-2");
    await page.getByRole("button", { name: "Сохранить и продолжить" }).click();
    await expect(page.getByTestId("password-form").getByRole("alert")).toContainText("Пароли не совпадают");
    await page.getByLabel("Повторите пароль").fill("my-own-password-1");
    await page.getByRole("button", { name: "Сохранить и продолжить" }).click();
    await expect(page).toHaveURL(/\/leads$/);
    await expect(page.getByRole("heading", { name: "Заявки" })).toBeVisible();

    // The owner, in their own browser, deactivates them.
    const ownerContext = await browser.newContext({ baseURL, locale: "ru-RU" });
    try {
      const owner = await ownerContext.newPage();
      const ownerLogin = new LoginPage(owner);
      await ownerLogin.goto();
      await ownerLogin.login(tenant.owner, tenant.password);
      await expect(owner).toHaveURL(/\/leads$/);
      await owner.goto("/settings/users");
      const theirRow = owner.getByTestId("member-row").filter({ hasText: email });
      await expect(theirRow).not.toContainText("Ждёт первого входа");
      owner.once("dialog", (d) => d.accept());
      await theirRow.getByRole("button", { name: "Деактивировать" }).click();
      await expect(theirRow).toContainText("Деактивирован");
      await expect(theirRow.getByRole("button", { name: "Восстановить доступ" })).toBeVisible();
    } finally {
      await ownerContext.close();
    }

    // Their session is good for nothing from the next page on.
    await page.reload();
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("heading", { name: "Вход в LeadFlow" })).toBeVisible();
    // And the one-time password no longer opens anything either.
    await loginPage.login(email, otp);
    await expect(page.getByRole("alert").filter({ hasText: "Неверная почта или пароль" })).toBeVisible();
  });
});
