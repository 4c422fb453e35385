/**
 * The per-request security headers (set by proxy.ts on every page and API answer). The headers that never
 * change live in next.config.ts, which also covers the build's static files; these two depend on the
 * request (the nonce) or on the running server's configuration (the public URL), which next.config's
 * build-time headers cannot know.
 */
export interface SecurityHeaderInput {
  /** fresh for each request: only scripts and style elements carrying it run */
  nonce: string;
  /** `next dev`: React's dev build evaluates strings and the dev overlay injects its own styles */
  dev: boolean;
  /** the public URL is https (NEXTAUTH_URL): then HSTS, and every subresource is upgraded */
  https: boolean;
}

/** Two years, the HSTS preload list's minimum: once a browser has seen it, http is never tried again. */
const HSTS_MAX_AGE = 63_072_000;

/**
 * A strict CSP. Scripts run only with this request's nonce; `'strict-dynamic'` lets those scripts load
 * Next's chunks, and nothing from another origin or inline without the nonce runs (Next reads the nonce
 * from this header and puts it on its own inline scripts). Style elements need the nonce too. Style
 * *attributes* are allowed (`style-src-attr`): React server-renders `style={{…}}` (the drug strips'
 * positions, recharts' container sizes) as attributes, which a browser would otherwise drop from the
 * server HTML and hydration never re-applies. An attribute cannot run script, and any `url()` in one is
 * still held to img-src/font-src 'self'.
 * script-src comes first: Next takes the nonce from the first directive that starts with "script-src".
 */
export function contentSecurityPolicy({ nonce, dev, https }: SecurityHeaderInput): string {
  const directives = [
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "default-src 'self'",
    // dev only: the dev overlay and hot reload inject style elements without a nonce
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    // data: for the enrolment QR code (qrcode.toDataURL), blob: for a chart or file made in the page
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** The headers proxy.ts sets on a response (and the CSP on the request, where Next reads the nonce). */
export function requestSecurityHeaders(input: SecurityHeaderInput): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(input),
    // HSTS over plain http is ignored by browsers, and on a localhost development server it would pin
    // the whole host name to https, so it follows the public URL only.
    ...(input.https ? { "Strict-Transport-Security": `max-age=${HSTS_MAX_AGE}; includeSubDomains` } : {}),
  };
}

/** The nonce proxy.ts put in a request's Content-Security-Policy ("" when none), for an inline style element of the answer. */
export const nonceOf = (csp: string | null): string => /'nonce-([^']+)'/.exec(csp ?? "")?.[1] ?? "";

/** 128 random bits, base64: what CSP calls a nonce-source. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
