// Item 14: the end-to-end browser is found in the documented order, and the npm-shipped fallback is a
// real, runnable Chromium (scripts/browser.mjs). The e2e suite itself runs in it in CI's second pass.
import fs from "node:fs";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ensureBrowser, installedBrowser, unpackNpmChromium } from "../scripts/browser.mjs";

describe("the end-to-end browser", () => {
  it("is CHROME_PATH when set, before anything installed", () => {
    expect(installedBrowser({ CHROME_PATH: "/opt/chrome/chrome" })).toEqual({ path: "/opt/chrome/chrome", label: "CHROME_PATH" });
  });
  it("is Debian's Chromium next, when it is installed (twin)", async () => {
    const b = await ensureBrowser({});
    expect(b).not.toBeNull();
    if (fs.existsSync("/usr/bin/chromium")) expect(b).toEqual({ path: "/usr/bin/chromium", label: "Debian chromium" });
    else expect(fs.existsSync(b!.path)).toBe(true);
  });
  it("falls back to the Chromium inside the npm package, which runs", async () => {
    const b = await unpackNpmChromium();
    expect(b?.label).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+ \(npm package\)$/);
    expect(execFileSync(b!.path, ["--version"], { encoding: "utf8" })).toMatch(/Chromium \d+/);
  }, 60_000);
});
