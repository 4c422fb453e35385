// Item 9: the security headers, as pure functions and as next.config.ts declares them. The e2e spec
// (e2e/headers.spec.ts) checks that a running server sends them on a page and an API answer.
import { describe, expect, it } from "vitest";
import { getScriptNonceFromHeader } from "next/dist/server/app-render/get-script-nonce-from-header";
import nextConfig from "../next.config";
import { contentSecurityPolicy, newNonce, requestSecurityHeaders } from "../lib/security/headers";
import { publicUrlIsHttps } from "../lib/env";

const directive = (csp: string, name: string) => csp.split("; ").find((d) => d.split(" ")[0] === name);

describe("Content-Security-Policy", () => {
  const nonce = newNonce();
  const csp = contentSecurityPolicy({ nonce, dev: false, https: true });

  it("runs only scripts with this request's nonce: no inline or eval, no other origin", () => {
    expect(directive(csp, "script-src")).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(directive(csp, "style-src")).toBe(`style-src 'self' 'nonce-${nonce}'`);
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(directive(csp, "object-src")).toBe("object-src 'none'");
    expect(directive(csp, "base-uri")).toBe("base-uri 'none'");
    expect(directive(csp, "frame-ancestors")).toBe("frame-ancestors 'none'");
    expect(directive(csp, "form-action")).toBe("form-action 'self'");
  });
  it("is the header Next takes its script nonce from (so Next's own inline scripts carry it)", () => {
    expect(getScriptNonceFromHeader(csp)).toBe(nonce);
  });
  it("relaxes only for `next dev`, whose React evaluates strings and whose overlay injects styles (twin)", () => {
    const dev = contentSecurityPolicy({ nonce, dev: true, https: false });
    expect(directive(dev, "script-src")).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'unsafe-eval'`);
    expect(directive(dev, "style-src")).toBe("style-src 'self' 'unsafe-inline'");
    expect(directive(csp, "style-src")).not.toContain("unsafe-inline");
  });
  it("is fresh for every request", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});

describe("HSTS follows the public URL", () => {
  it("is sent when NEXTAUTH_URL is https, and mixed content is upgraded", () => {
    const h = requestSecurityHeaders({ nonce: "n", dev: false, https: publicUrlIsHttps("https://tsunagu.example.jp") });
    expect(h["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
    expect(h["Content-Security-Policy"]).toContain("upgrade-insecure-requests");
  });
  it("is not sent for an http (localhost) or unset public URL (twin)", () => {
    for (const url of ["http://localhost:3000", undefined]) {
      const h = requestSecurityHeaders({ nonce: "n", dev: false, https: publicUrlIsHttps(url) });
      expect(h["Strict-Transport-Security"], String(url)).toBeUndefined();
      expect(h["Content-Security-Policy"]).not.toContain("upgrade-insecure-requests");
    }
  });
});

describe("the fixed headers of next.config.ts", () => {
  it("apply to every path: no sniffing, no framing, no referrer to other sites, no device features, no caching", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*")!;
    const h = Object.fromEntries(all.headers.map((x) => [x.key, x.value]));
    expect(h["X-Content-Type-Options"]).toBe("nosniff");
    expect(h["X-Frame-Options"]).toBe("DENY");
    expect(h["Referrer-Policy"]).toBe("same-origin");
    expect(h["Cache-Control"]).toBe("no-store");
    expect(h["Permissions-Policy"]).toMatch(/^camera=\(\), microphone=\(\), geolocation=\(\)/);
  });
});
