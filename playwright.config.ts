import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser.
const executablePath = process.env.CHROMIUM_PATH || (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const PORT = Number(process.env.E2E_PORT || 3100);

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  outputDir: "test-results/playwright",
  // Whole flows (sign in, seed a tenant through the CLI, several pages): on 2 busy cores some take 25–30 s.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    locale: "ru-RU",
    launchOptions: {
      executablePath,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], locale: "ru-RU" } }],
  webServer: [
    {
      command: `node node_modules/next/dist/bin/next start -p ${PORT}`,
      url: `http://localhost:${PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    },
    // The job worker too, as in production: imports and new leads' follow-up jobs run in the flows.
    {
      command: "node --import tsx --conditions=react-server scripts/worker.ts",
      url: `http://127.0.0.1:${PORT + 99}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { NODE_ENV: "production", WORKER_HEALTH_PORT: String(PORT + 99) },
    },
  ],
});
