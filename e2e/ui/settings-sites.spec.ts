import { test, expect } from "../fixtures";

test.describe("sites in Settings", () => {
  test("the owner adds a site, gets its keys once, and the keys work; rotating revokes the old secret", async ({ page, loginPage, tenant, baseURL }) => {
    await loginPage.goto();
    await loginPage.login(tenant.owner, tenant.password);
    await page.goto("/settings");
    const name = `site-${Date.now()}.ru`;
    const form = page.getByTestId("new-site-form");
    // The <details> may still be hydrating when first clicked: open it until the form shows.
    await expect(async () => {
      if (!(await form.isVisible())) await page.getByText("Новый сайт").click();
      await expect(form).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await form.getByLabel("Название").fill(name);
    await form.getByLabel("Адреса сайта (по одному в строке)").fill("https://landing.example.ru/page\nhttp://localhost:5173");
    await form.getByRole("button", { name: "Добавить сайт" }).click();

    const reveal = page.getByTestId("keys-reveal");
    await expect(reveal).toBeVisible();
    const secret = (await reveal.getByTestId("secret-key").textContent())!.trim();
    const pub = (await reveal.getByTestId("public-key").textContent())!.trim();
    expect(secret).toMatch(/^sk_/);
    expect(pub).toMatch(/^pk_/);
    const card = page.getByTestId("site-card").filter({ hasText: name });
    await expect(card).toContainText("https://landing.example.ru, http://localhost:5173");

    const send = (key: string) =>
      fetch(`${baseURL}/api/intake`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ name: "Из настроек", email: `${Date.now()}@example.ru` }) });
    expect((await send(secret)).status).toBe(201);

    // The public key is public by nature: after a reload the card still shows a working snippet.
    await page.reload();
    const snippet = page.getByTestId("site-card").filter({ hasText: name }).getByTestId("site-snippet");
    await expect(snippet).toContainText(`data-key="${pub}"`);
    await expect(page.getByTestId("site-card").filter({ hasText: name })).not.toContainText(secret);

    page.once("dialog", (d) => d.accept());
    await card.getByRole("button", { name: "Новый секретный ключ" }).click();
    const newSecret = (await card.getByTestId("secret-key").textContent())!.trim();
    expect(newSecret).not.toBe(secret);
    await expect.poll(async () => (await send(secret)).status).toBe(401);
    expect((await send(newSecret)).status).toBe(201);
  });

  test("bad origins are named in the form", async ({ page, loginPage, tenant }) => {
    await loginPage.goto();
    await loginPage.login(tenant.owner, tenant.password);
    await page.goto("/settings");
    const form = page.getByTestId("new-site-form");
    await expect(async () => {
      if (!(await form.isVisible())) await page.getByText("Новый сайт").click();
      await expect(form).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await form.getByLabel("Название").fill("bad");
    await form.getByLabel("Адреса сайта (по одному в строке)").fill("not a url");
    await form.getByRole("button", { name: "Добавить сайт" }).click();
    await expect(form.getByRole("alert")).toContainText("Адрес должен начинаться с http:// или https://");
  });
});
