import { test as base, expect } from "../fixtures";
import { cli } from "../support/cli";
import { startStaticSite } from "../support/static-site";

type Site = { siteId: string; publicKey: string; secretKey: string };

// A client's website on another origin embeds /embed.js; its form's leads reach LeadFlow.
const test = base.extend<{ web: Awaited<ReturnType<typeof startStaticSite>> & { site: Site } }>({
  web: async ({ tenant, baseURL }, provide) => {
    const web = await startStaticSite(baseURL!);
    const site = cli<Site>("site", "create", "--tenant", tenant.slug, "--name", "landing", "--origin", web.origin);
    web.useKey(site.publicKey);
    await provide({ ...web, site });
    await web.close();
  },
});

async function fillAndSend(page: import("@playwright/test").Page, name: string) {
  const form = page.locator("form[data-leadflow]");
  await form.getByLabel("Имя").fill(name);
  await form.getByLabel("Email").fill(`${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.ru`);
  await form.getByLabel("Сообщение").fill("Хочу лендинг");
  await form.getByRole("button", { name: "Отправить" }).click();
  return form;
}

async function leadNames(baseURL: string, secretKey: string): Promise<string[]> {
  const r = await fetch(`${baseURL}/api/v1/leads?limit=100`, { headers: { authorization: `Bearer ${secretKey}` } });
  return ((await r.json()).data as { name: string }[]).map((l) => l.name);
}

test.describe("embed.js on a client's website", () => {
  test("a form submission becomes a lead with the landing page's UTM values", async ({ page, loginPage, tenant, web }) => {
    await page.goto(`${web.origin}/?utm_source=yandex&utm_medium=cpc&utm_campaign=embed_test`);
    const form = await fillAndSend(page, "Вера Лендингова");
    await expect(form.getByText("Спасибо! Мы свяжемся с вами.")).toBeVisible();
    await expect(form).toHaveAttribute("data-leadflow-state", "success");

    await loginPage.goto();
    await loginPage.login(tenant.owner, tenant.password);
    await page.getByTestId("leads-table").getByText("Вера Лендингова").click();
    await expect(page.getByTestId("lead-title")).toHaveText("Вера Лендингова");
    await expect(page.getByText("source=yandex, medium=cpc, campaign=embed_test")).toBeVisible();
    await expect(page.getByText("Заявка с лендинга")).toBeVisible();
  });

  test("while intake is unreachable the submission is kept, then delivered once it is back", async ({ page, web, baseURL }) => {
    await page.route("**/api/intake**", (route) => route.abort("connectionrefused"));
    await page.goto(web.origin);
    const form = await fillAndSend(page, "Глеб Офлайнов");
    await expect(form.getByText("Нет связи — заявка сохранена и будет отправлена.")).toBeVisible();
    const queued = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("leadflow:queue:")).map((k) => JSON.parse(localStorage.getItem(k)!).length));
    expect(queued).toEqual([1]);
    expect(await leadNames(baseURL!, web.site.secretKey)).not.toContain("Глеб Офлайнов");

    // Back online; the visitor comes back later (a new page load) and the kept submission goes out.
    await page.unroute("**/api/intake**");
    await page.goto(web.origin);
    await expect.poll(() => leadNames(baseURL!, web.site.secretKey), { timeout: 15_000 }).toContain("Глеб Офлайнов");
    await expect.poll(() => page.evaluate(() => localStorage.getItem(Object.keys(localStorage).find((k) => k.startsWith("leadflow:queue:"))!))).toBe("[]");
    // Exactly once, even though it was attempted more than once.
    expect((await leadNames(baseURL!, web.site.secretKey)).filter((n) => n === "Глеб Офлайнов")).toHaveLength(1);
  });
});
