import { defineConfig, devices } from "@playwright/test";
import { ensureBrowser } from "./scripts/browser.mjs";

const port = process.env.E2E_PORT ?? "3100";
// CHROME_PATH, Debian's Chromium, Playwright's own, or the npm-shipped one (scripts/browser.mjs has the
// order and why), so `npx playwright test` finds the same browser `npm test` does. With none of them,
// Playwright's default asks for `npx playwright install chromium` (scripts/test.mjs runs it).
const executablePath = (await ensureBrowser())?.path;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json", { outputFile: ".test-report/playwright.json" }]],
  use: {
    baseURL: `http://localhost:${port}`,
    locale: "ja-JP",
    timezoneId: "Asia/Tokyo",
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath,
          args: ["--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync", "--no-sandbox"],
        },
      },
    },
  ],
  webServer: {
    command: "node scripts/e2e-server.mjs",
    url: `http://localhost:${port}/login`,
    reuseExistingServer: false,
    timeout: 240_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
