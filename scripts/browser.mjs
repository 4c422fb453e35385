// Which Chromium the end-to-end tests drive, in this order:
//   1. CHROME_PATH, if set (the developer's or CI's choice)
//   2. Debian's /usr/bin/chromium (`apt-get install chromium`, what CI installs)
//   3. Playwright's own, if `npx playwright install chromium` has fetched it (the usual laptop path)
//   4. the Chromium that ships inside the @sparticuz/chromium npm package (a devDependency, so
//      `npm install` brings it from the npm registry with the rest, pinned in package-lock.json): for a
//      machine that reaches only the npm registry, where Playwright's own download cannot be fetched.
// The npm package holds a brotli-compressed chrome-headless-shell; it is unpacked once into
// node_modules/.cache (per version, so an upgrade unpacks afresh; `npm ci` clears it). It brings no CJK
// fonts of its own, so Japanese renders with the system's fonts (fonts-noto-cjk) where installed; the
// tests read text from the DOM, which needs no font.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const DEBIAN = "/usr/bin/chromium";
const NPM_PACKAGE = "@sparticuz/chromium";

function npmChromium() {
  try {
    // its exports map hides package.json: walk up from the entry point to the package folder
    let pkg = path.dirname(require.resolve(NPM_PACKAGE));
    while (!fs.existsSync(path.join(pkg, "bin", "chromium.br"))) pkg = path.dirname(pkg);
    const { version } = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8"));
    const dir = path.resolve("node_modules/.cache", `sparticuz-chromium-${version}`);
    // written after a complete unpack: an interrupted one leaves a file the package would take as done
    const browser = { path: path.join(dir, "chromium"), label: `${NPM_PACKAGE} ${version} (npm package)` };
    return { dir, browser, done: path.join(dir, ".unpacked") };
  } catch {
    return null; // installed without devDependencies
  }
}

function playwrightChromium() {
  try {
    const p = require("playwright-core").chromium.executablePath();
    return p && fs.existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

/** A browser already on this machine, without unpacking anything: { path, label } or null. */
export function installedBrowser(env = process.env) {
  if (env.CHROME_PATH) return { path: env.CHROME_PATH, label: "CHROME_PATH" };
  if (fs.existsSync(DEBIAN)) return { path: DEBIAN, label: "Debian chromium" };
  const own = playwrightChromium();
  if (own) return { path: own, label: "Playwright's own Chromium" };
  const npm = npmChromium();
  return npm && fs.existsSync(npm.done) ? npm.browser : null;
}

/** installedBrowser(), else the npm package's Chromium, unpacked now (a few seconds, once). */
export async function ensureBrowser(env = process.env) {
  return installedBrowser(env) ?? (await unpackNpmChromium());
}

/** The npm package's Chromium, unpacked if it is not yet: { path, label }, or null without the package. */
export async function unpackNpmChromium() {
  const npm = npmChromium();
  if (!npm) return null;
  if (fs.existsSync(npm.done)) return npm.browser;
  fs.rmSync(npm.dir, { recursive: true, force: true });
  fs.mkdirSync(npm.dir, { recursive: true });
  // the package unpacks into os.tmpdir(); point that at our cache for the call, not at a shared /tmp
  // where another checkout's (other version's) binary would be taken as ours
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = npm.dir;
  try {
    const { default: chromium } = await import(NPM_PACKAGE);
    const executable = await chromium.executablePath();
    if (path.resolve(executable) !== npm.browser.path) throw new Error(`${NPM_PACKAGE} unpacked to ${executable}, not ${npm.browser.path}`);
    fs.writeFileSync(npm.done, `${executable}\n`);
    return npm.browser;
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

// `node scripts/browser.mjs [--npm]`: print the path of the browser the tests would use (with --npm, the
// npm-shipped one whatever else is installed: CI runs one pass on it to prove the fallback).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const b = process.argv.includes("--npm") ? await unpackNpmChromium() : await ensureBrowser();
  if (!b) {
    console.error("no Chromium found, and the @sparticuz/chromium package is not installed");
    process.exit(1);
  }
  console.log(b.path);
}
