import { execFileSync } from "node:child_process";
import { test as base, expect, type Page } from "@playwright/test";

export type SeededTenant = { slug: string; tenantId: string; secondTenantName: string; secondLeadName: string; secondLeadId: string; password: string; owner: string; sales: string; leadNames: string[] };

function assertLocal(url: string | undefined) {
  const host = url ? new URL(url).hostname : "";
  if (!["127.0.0.1", "localhost", "::1"].includes(host)) throw new Error(`e2e refuses to run against a non-local database (${host || "none"})`);
}

/** A fresh tenant, made through the real services (one per worker; a test that fills it with data makes its own). */
export function seedTenant(): SeededTenant {
  assertLocal(process.env.DATABASE_URL);
  const out = execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", "e2e/support/seed-tenant.ts"], {
    cwd: process.cwd(),
    env: process.env,
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n").pop()!);
}

export class LoginPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto("/login");
  }
  async login(email: string, password: string) {
    await this.page.getByLabel("Электронная почта").fill(email);
    await this.page.getByLabel("Пароль").fill(password);
    // Wait for the server action's answer, so consecutive attempts never overlap.
    const answered = this.page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/login");
    await this.page.getByRole("button", { name: "Войти" }).click();
    await answered;
  }
}

export const test = base.extend<{ loginPage: LoginPage }, { tenant: SeededTenant }>({
  tenant: [
    async ({}, provide) => {
      await provide(seedTenant());
    },
    { scope: "worker" },
  ],
  loginPage: async ({ page }, provide) => {
    await provide(new LoginPage(page));
  },
});

export { expect };
