// `npm test`: the whole suite, as CI runs it — types, lint, unit and integration tests (Vitest, on the
// real database: PGlite, or PostgreSQL when DATABASE_URL is set), a production build, and end-to-end
// tests in Chromium against it. The last line reports the counts.
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { ensureBrowser } from "./browser.mjs";
import { failedTests } from "./test-failures.mjs";

const engine = process.env.DATABASE_URL ? "PostgreSQL" : "PGlite";
const bin = (name) => `node_modules/.bin/${name}`;

function run(label, cmd, args, env = process.env) {
  console.log(`\n▶ ${label}`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  console.log(`  ${label}: ${r.status === 0 ? "ok" : "FAILED"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return r.status === 0;
}

function counts(file, pick) {
  try {
    return pick(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return null;
  }
}

// Playwright's browser (scripts/browser.mjs: CHROME_PATH, Debian's, Playwright's own, or the one the
// npm package ships), said in one line. Only with none of them is Playwright's download tried.
const env = { ...process.env };
const browser = await ensureBrowser(env);
if (browser) env.CHROME_PATH = browser.path;

// Playwright empties test-results/ when it starts, so the count reports live apart.
fs.rmSync(".test-report", { recursive: true, force: true });
fs.mkdirSync(".test-report", { recursive: true });

// A second pass on another engine (CI) may reuse what does not depend on the engine: types, lint and
// the production build of the same tree. Without a build to reuse, it builds.
const reuse = process.env.TSUNAGU_TEST_REUSE_CHECKS === "1";
const skipped = (label) => (console.log(`\n▶ ${label}: reused from the previous pass`), true);

let ok =
  run("prisma client", process.execPath, ["scripts/prisma-generate.mjs"]) &&
  (reuse ? skipped("typecheck and lint") : run("typecheck (tsc --noEmit)", bin("tsc"), ["--noEmit"]) && run("lint (eslint)", bin("eslint"), [".", "--max-warnings=0"]));

let vitestOk = false;
if (ok) {
  vitestOk = run(`unit + integration (vitest, ${engine})`, bin("vitest"), ["run", "--reporter=default", "--reporter=json", "--outputFile.json=.test-report/vitest.json"], env);
}

let e2eOk = false;
if (ok) {
  const browserOk = env.CHROME_PATH ? true : run("browser (npx playwright install chromium)", bin("playwright"), ["install", "chromium"], env);
  console.log(`\n▶ browser: ${browser ? `${browser.label} — ${browser.path}` : "Playwright's own Chromium (downloaded by npx playwright install)"}`);
  const build = reuse && fs.existsSync(".next/BUILD_ID") ? skipped("production build") : run("production build (next build)", bin("next"), ["build"], env);
  e2eOk = browserOk && build && run(`end-to-end (playwright, chromium, ${engine})`, bin("playwright"), ["test"], env);
}
ok = ok && vitestOk && e2eOk;

const v = counts(".test-report/vitest.json", (j) => ({ passed: j.numPassedTests, failed: j.numFailedTests }));
const p = counts(".test-report/playwright.json", (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + j.stats.flaky }));
const fmt = (c) => (c ? `${c.passed} passed, ${c.failed} failed` : "not run");

// The failed tests by name, just above the counts (scripts/test-failures.mjs).
const failures = failedTests(".test-report/vitest.json", ".test-report/playwright.json");
if (failures.length) console.log(`\nFailed (${engine}):\n${failures.map((f) => `  ✗ ${f.slice(0, 400)}`).join("\n")}`);
console.log(`\nTests (${engine}): vitest ${fmt(v)}; playwright ${fmt(p)} — ${ok ? "PASS" : "FAIL"}`);
process.exit(ok ? 0 : 1);
