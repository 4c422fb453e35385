import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite and the argon2 binding load files from their own package folders at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  typedRoutes: false,
  // Headers that are the same on every response, static files included. The CSP (a nonce per request)
  // and HSTS (it follows the running server's public URL) are set in proxy.ts (lib/security/headers).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          // for browsers without CSP frame-ancestors (set in the CSP too)
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          // a patient id in a path must not leave in the Referer to another site
          { key: "Referrer-Policy", value: "same-origin" },
          // nothing here uses the camera, microphone, location, payments or devices: no embedded or
          // injected code may ask for them either
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), midi=(), display-capture=(), browsing-topics=()" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          // Patient data must never sit in shared or browser caches.
          { key: "Cache-Control", value: "no-store" },
        ],
      },
    ];
  },
};

export default nextConfig;
