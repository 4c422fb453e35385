import { hkdfSync } from "node:crypto";
import { jwtDecrypt } from "jose";
import { authSecret, env, publicUrlIsHttps } from "../env";

/** What the session cookie names: the user and their server-side session (lib/auth/sessions). */
export interface SessionClaims {
  userId: string;
  sid: string;
}

/**
 * next-auth's session cookie: `__Secure-` prefixed when the public URL is https, as next-auth itself
 * decides from NEXTAUTH_URL.
 */
export const sessionCookieName = (https = publicUrlIsHttps(env().NEXTAUTH_URL)) => `${https ? "__Secure-" : ""}next-auth.session-token`;

/** The key next-auth encrypts its session token with (HKDF of the secret, next-auth's own info string). */
const KEY_INFO = "NextAuth.js Generated Encryption Key";
let derived: { secret: string; key: Uint8Array } | null = null;

/**
 * Derived once per secret, not on every request: next-auth's getServerSession derived it twice per
 * call (to decode the cookie, then to encode a renewed one that a server component cannot even set)
 * — the largest single item of a page's CPU after rendering (issue 17). The key is configuration, not
 * user data.
 */
function encryptionKey(secret: string): Uint8Array {
  if (derived?.secret !== secret) derived = { secret, key: new Uint8Array(hkdfSync("sha256", secret, "", KEY_INFO, 32)) };
  return derived.key;
}

/**
 * The claims of a session token next-auth issued (its JWE: "dir", A256GCM), or null when there is
 * none or it does not verify: tampered, sealed with another secret, or past its expiry (next-auth's
 * 15 seconds of clock tolerance).
 */
export async function decodeSessionToken(token: string | undefined, secret = authSecret()): Promise<SessionClaims | null> {
  if (!token) return null;
  try {
    const { payload } = await jwtDecrypt(token, encryptionKey(secret), { clockTolerance: 15 });
    return typeof payload.sub === "string" && typeof payload.sid === "string" && payload.sub && payload.sid ? { userId: payload.sub, sid: payload.sid } : null;
  } catch {
    return null;
  }
}

/**
 * The session token among a request's cookies: next-auth splits a token too long for one cookie into
 * `<name>.0`, `<name>.1`, … (ours never is, but a cookie it wrote must still read back).
 */
export function sessionTokenOf(cookies: { get(name: string): { value: string } | undefined }, name = sessionCookieName()): string | undefined {
  const whole = cookies.get(name)?.value;
  if (whole) return whole;
  let joined = "";
  for (let i = 0; ; i++) {
    const chunk = cookies.get(`${name}.${i}`)?.value;
    if (chunk === undefined) return joined || undefined;
    joined += chunk;
  }
}
