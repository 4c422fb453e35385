// What lib/env demands of a production server (items 8 and 9): each refusal with its allowing twin.
import { describe, expect, it } from "vitest";
import { parseEnv } from "../lib/env";

import { PRODUCTION as production } from "./helpers/production-env";

describe("embedded PGlite in production", () => {
  it("is refused unless TSUNAGU_EMBEDDED_PRODUCTION=1 says so", () => {
    expect(() => parseEnv({ ...production, DATABASE_URL: undefined })).toThrow(/set DATABASE_URL — it is required in production \(PostgreSQL\).*TSUNAGU_EMBEDDED_PRODUCTION=1/);
    expect(() => parseEnv({ ...production, DATABASE_URL: "", TSUNAGU_EMBEDDED_PRODUCTION: "0" })).toThrow(/set DATABASE_URL/);
  });
  it("is accepted with TSUNAGU_EMBEDDED_PRODUCTION=1, and PostgreSQL needs no flag (twins)", () => {
    expect(parseEnv({ ...production, DATABASE_URL: undefined, TSUNAGU_EMBEDDED_PRODUCTION: "1" }).DATABASE_URL).toBeUndefined();
    expect(parseEnv(production).TSUNAGU_EMBEDDED_PRODUCTION).toBe("0");
  });
  it("takes only 0 or 1", () => {
    expect(() => parseEnv({ TSUNAGU_EMBEDDED_PRODUCTION: "yes" })).toThrow(/set TSUNAGU_EMBEDDED_PRODUCTION/);
  });
  it("is no concern outside production or while `next build` runs (twins)", () => {
    expect(parseEnv({ DATABASE_URL: undefined }).NODE_ENV).toBe("development");
    process.env.NEXT_PHASE = "phase-production-build";
    try {
      expect(parseEnv({ NODE_ENV: "production" }).NODE_ENV).toBe("production");
    } finally {
      delete process.env.NEXT_PHASE;
    }
  });
});

describe("the public URL in production", () => {
  it("must be https", () => {
    expect(() => parseEnv({ ...production, NEXTAUTH_URL: "http://tsunagu.example.jp" })).toThrow(/set NEXTAUTH_URL — it must be https:\/\/ in production/);
    expect(() => parseEnv({ ...production, NEXTAUTH_URL: "http://192.168.1.20:3000" })).toThrow(/set NEXTAUTH_URL/);
    // a name that merely starts like localhost is another machine
    expect(() => parseEnv({ ...production, NEXTAUTH_URL: "http://localhost.example.jp" })).toThrow(/set NEXTAUTH_URL/);
  });
  it("accepts https, and plain http only for this machine (twins)", () => {
    expect(parseEnv(production).NEXTAUTH_URL).toBe("https://tsunagu.example.jp");
    for (const url of ["http://localhost:3000", "http://127.0.0.1:3100", "http://[::1]:3000"]) expect(parseEnv({ ...production, NEXTAUTH_URL: url }).NEXTAUTH_URL, url).toBe(url);
  });
  it("must be set: sign-in callbacks and HSTS follow it", () => {
    expect(() => parseEnv({ ...production, NEXTAUTH_URL: undefined })).toThrow(/set NEXTAUTH_URL — it is required in production/);
  });
  it("may be plain http, or unset, in development (twins)", () => {
    expect(parseEnv({ NEXTAUTH_URL: "http://tsunagu.example.jp" }).NEXTAUTH_URL).toBe("http://tsunagu.example.jp");
    expect(parseEnv({}).NEXTAUTH_URL).toBeUndefined();
  });
});

describe("the database pool and transaction wait", () => {
  it("default to 10 connections, a 2 s wait and a 5 s transaction, and take an operator's values (twins)", () => {
    expect(parseEnv({})).toMatchObject({ TSUNAGU_DB_POOL_SIZE: 10, TSUNAGU_DB_TX_WAIT_MS: 2000, TSUNAGU_DB_TX_TIMEOUT_MS: 5000 });
    expect(parseEnv({ TSUNAGU_DB_POOL_SIZE: "40", TSUNAGU_DB_TX_WAIT_MS: "500" })).toMatchObject({ TSUNAGU_DB_POOL_SIZE: 40, TSUNAGU_DB_TX_WAIT_MS: 500 });
  });

  it("refuse a value that cannot work, naming the variable", () => {
    expect(() => parseEnv({ TSUNAGU_DB_POOL_SIZE: "0" })).toThrow(/TSUNAGU_DB_POOL_SIZE/);
    expect(() => parseEnv({ TSUNAGU_DB_POOL_SIZE: "many" })).toThrow(/TSUNAGU_DB_POOL_SIZE/);
    expect(() => parseEnv({ TSUNAGU_DB_TX_WAIT_MS: "10" })).toThrow(/TSUNAGU_DB_TX_WAIT_MS/);
  });
});
