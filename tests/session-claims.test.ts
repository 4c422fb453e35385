import { describe, expect, it } from "vitest";
import { encode } from "next-auth/jwt";
import { decodeSessionToken, sessionCookieName, sessionTokenOf } from "../lib/auth/session-claims";

// The pages read next-auth's session cookie themselves (lib/auth/session-claims): whatever next-auth's
// sign-in writes must read back as the same user and session, and nothing else may.
const SECRET = "test-secret-for-session-claims";
const token = (claims: Record<string, unknown>, opts: { secret?: string; maxAge?: number } = {}) => encode({ token: claims, secret: opts.secret ?? SECRET, maxAge: opts.maxAge });
const jar = (cookies: Record<string, string>) => ({ get: (name: string) => (name in cookies ? { name, value: cookies[name]! } : undefined) });

describe("the session cookie next-auth issues, read without next-auth's session endpoint", () => {
  it("names the user and the server-side session that next-auth's sign-in sealed into it", async () => {
    const t = await token({ sub: "u-doctor1", sid: "s-123", name: "医師 一郎" });
    expect(await decodeSessionToken(t, SECRET)).toEqual({ userId: "u-doctor1", sid: "s-123" });
    // the second read uses the key derived for the first: same answer
    expect(await decodeSessionToken(t, SECRET)).toEqual({ userId: "u-doctor1", sid: "s-123" });
  });

  it("refuses a token sealed with another secret; accepts it under that secret (twin)", async () => {
    const t = await token({ sub: "u-doctor1", sid: "s-123" }, { secret: "another-secret" });
    expect(await decodeSessionToken(t, SECRET)).toBeNull();
    expect(await decodeSessionToken(t, "another-secret")).toEqual({ userId: "u-doctor1", sid: "s-123" });
  });

  it("refuses a tampered token; the untouched one reads (twin)", async () => {
    const t = await token({ sub: "u-doctor1", sid: "s-123" });
    const parts = t.split(".");
    const cipher = parts[3]!;
    parts[3] = (cipher[0] === "A" ? "B" : "A") + cipher.slice(1);
    expect(await decodeSessionToken(parts.join("."), SECRET)).toBeNull();
    expect(await decodeSessionToken(t, SECRET)).not.toBeNull();
  });

  it("refuses a token past its expiry beyond next-auth's 15 s tolerance; within it, reads (twin)", async () => {
    expect(await decodeSessionToken(await token({ sub: "u-doctor1", sid: "s-123" }, { maxAge: -60 }), SECRET)).toBeNull();
    expect(await decodeSessionToken(await token({ sub: "u-doctor1", sid: "s-123" }, { maxAge: -5 }), SECRET)).toEqual({ userId: "u-doctor1", sid: "s-123" });
  });

  it("refuses a token that names no session or no user, and no token at all", async () => {
    expect(await decodeSessionToken(await token({ sub: "u-doctor1" }), SECRET)).toBeNull();
    expect(await decodeSessionToken(await token({ sid: "s-123" }), SECRET)).toBeNull();
    expect(await decodeSessionToken(undefined, SECRET)).toBeNull();
    expect(await decodeSessionToken("not-a-token", SECRET)).toBeNull();
  });

  it("reads the cookie next-auth names: __Secure- behind an https public URL, plain on http", () => {
    expect(sessionCookieName(true)).toBe("__Secure-next-auth.session-token");
    expect(sessionCookieName(false)).toBe("next-auth.session-token");
    expect(sessionTokenOf(jar({ "next-auth.session-token": "abc" }), "next-auth.session-token")).toBe("abc");
    expect(sessionTokenOf(jar({ "next-auth.session-token": "abc" }), "__Secure-next-auth.session-token")).toBeUndefined();
  });

  it("joins a token next-auth split over numbered cookies, in order", () => {
    const name = "next-auth.session-token";
    expect(sessionTokenOf(jar({ [`${name}.1`]: "def", [`${name}.0`]: "abc", [`${name}.2`]: "ghi" }), name)).toBe("abcdefghi");
    expect(sessionTokenOf(jar({}), name)).toBeUndefined();
  });
});
