import { test, expect, login, type Page } from "./fixtures";

// Item 9: the security headers on a page and on an API answer, and the app still working under the CSP.
// The e2e server's public URL is http://localhost, so HSTS must be absent here (tests/security-headers
// checks that an https public URL sends it).

const nonceOf = (csp: string) => /'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];

function expectFixedHeaders(h: Record<string, string>) {
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("same-origin");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["permissions-policy"]).toContain("geolocation=()");
  expect(h["cache-control"]).toContain("no-store");
  expect(h["strict-transport-security"]).toBeUndefined();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
}

/** Collects every CSP violation of the page, across navigations, as "directive blockedURI". */
async function watchCspViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  await page.exposeFunction("__reportCspViolation", (v: string) => seen.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { __reportCspViolation(v: string): void }).__reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return seen;
}

test.describe("security headers", () => {
  test("a page has a strict CSP with a fresh nonce per request, which every script of Next carries", async ({ page }) => {
    const first = await page.goto("/login");
    const h = first!.headers();
    expectFixedHeaders(h);
    const csp = h["content-security-policy"]!;
    expect(csp).toMatch(/^script-src 'self' 'nonce-[^']+' 'strict-dynamic'; /);
    expect(csp).not.toContain("unsafe-eval");
    const nonce = nonceOf(csp);
    const scripts = await page.locator("script").evaluateAll((els) => els.map((s) => (s as HTMLScriptElement).nonce));
    expect(scripts.length).toBeGreaterThan(0);
    expect(new Set(scripts)).toEqual(new Set([nonce]));

    const second = await page.goto("/login");
    expect(nonceOf(second!.headers()["content-security-policy"]!)).not.toBe(nonce);
  });

  test("an API answer carries the same headers", async ({ page }) => {
    const res = await page.request.get("/api/patients/pat-0001/timeline?limit=5");
    expect(res.status()).toBeGreaterThanOrEqual(400); // not signed in
    expectFixedHeaders(res.headers());
    expect(res.headers()["content-security-policy"]).toContain("object-src 'none'");
  });

  test("sign-in, hydration and a recharts chart work under the policy without one violation", async ({ page }) => {
    const violations = await watchCspViolations(page);
    await login(page, "doctor1"); // the login form is a client component: it only submits once hydrated
    await page.goto("/patients/pat-0001/labs?code=8A065000002391901");
    const chart = page.getByTestId("lab-chart");
    await expect(chart.locator(".recharts-line-dots circle").first()).toBeVisible();
    // the drug strips are positioned by server-rendered style attributes (style-src-attr)
    await page.goto("/patients/pat-0001/medications");
    const bar = page.getByTestId("drug-strips").locator("[style]").first();
    await expect(bar).toBeVisible();
    expect(await bar.evaluate((el) => getComputedStyle(el).left)).not.toBe("auto");
    expect(violations).toEqual([]);
  });
});
