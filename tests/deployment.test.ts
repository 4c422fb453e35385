// Item 8: what a production start refuses (demo accounts), on the real database of this run (PGlite, or
// PostgreSQL with DATABASE_URL), and where the automatic demo seed may run. Each rule with its twin.
import { hash } from "@node-rs/argon2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import type { Db } from "../lib/db/client";
import { parseEnv } from "../lib/env";
import { PRODUCTION } from "./helpers/production-env";
import { autoSeedSkipReason, isLocalDatabase } from "../lib/deployment/local-database";
import { deactivateDemoAccounts, findLiveDemoAccounts } from "../lib/deployment/demo-accounts";
import { productionStartRefusal } from "../lib/startup";
import { seedNetwork, USERS } from "../prisma/seed/network";
import { DEMO_TOTP_SECRET } from "../prisma/seed/demo-credentials";

const NOW = new Date("2026-11-25T00:00:00Z");
const base = { NEXTAUTH_SECRET: PRODUCTION.NEXTAUTH_SECRET, NEXTAUTH_URL: PRODUCTION.NEXTAUTH_URL, TSUNAGU_AUDIT_KEY: PRODUCTION.TSUNAGU_AUDIT_KEY };
const production = parseEnv({ ...base, NODE_ENV: "production", DATABASE_URL: "postgresql://app@db.example.jp:5432/tsunagu" });

let db: Db;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ db, close } = await freshDatabase());
  await seedNetwork(db, NOW);
});
afterAll(async () => close?.());

describe("a production start and the demo accounts", () => {
  it("refuses while seeded demo accounts exist, naming each one and how to get past it", async () => {
    const refusal = await productionStartRefusal(db, production);
    // every demo account, and the demo hospital's published FHIR key
    expect(refusal).toMatch(new RegExp(`^Refusing to start in production: ${USERS.length + 1} demo account\\(s\\)`));
    expect(refusal).toContain("fk-demo-fac11 (demo FHIR key)");
    expect(refusal).toContain("admin (demo second-factor secret)");
    // doctor-new has no second factor yet: its published password gives it away
    expect(refusal).toContain("doctor-new (demo password)");
    expect(refusal).toContain("npm run db:demo-accounts -- --deactivate");
  });

  it("does not check outside production, nor on the end-to-end test database (twins)", async () => {
    expect(await productionStartRefusal(db, parseEnv({ ...base, NODE_ENV: "development" }))).toBeNull();
    const e2ePg = parseEnv({ ...base, NODE_ENV: "production", DATABASE_URL: "postgresql://app@localhost:5432/tsunagu_e2e" });
    const e2ePglite = parseEnv({ ...base, NODE_ENV: "production", PGLITE_DIR: ".data/e2e", TSUNAGU_EMBEDDED_PRODUCTION: "1" });
    expect(await productionStartRefusal(db, e2ePg)).toBeNull();
    expect(await productionStartRefusal(db, e2ePglite)).toBeNull();
    // nor on the bench's and the soak's local throw-away databases; the same names elsewhere are checked
    for (const name of ["tsunagu_bench", "tsunagu_soak"]) {
      expect(await productionStartRefusal(db, parseEnv({ ...base, NODE_ENV: "production", DATABASE_URL: `postgresql://app@localhost:5432/${name}` }))).toBeNull();
      expect(await productionStartRefusal(db, parseEnv({ ...base, NODE_ENV: "production", DATABASE_URL: `postgresql://app@db.example.jp:5432/${name}` }))).not.toBeNull();
    }
    // a database merely named like a production one is checked
    expect(await productionStartRefusal(db, parseEnv({ ...base, NODE_ENV: "production", PGLITE_DIR: ".data/e2e-prod", TSUNAGU_EMBEDDED_PRODUCTION: "1" }))).not.toBeNull();
  });

  it("starts once the demo accounts are deactivated (twin), and their sessions are ended", async () => {
    await db.session.create({ data: { id: "s-demo-admin", userId: "usr-admin", createdAt: NOW, lastSeenAt: NOW, mfa: true } });
    const found = await findLiveDemoAccounts(db);
    // the published FHIR key of the demo hospital is refused like the published passwords
    expect(found).toContainEqual({ loginId: "fk-demo-fac11", because: "demo FHIR key" });
    expect(await deactivateDemoAccounts(db, found.map((a) => a.loginId), NOW)).toBe(USERS.length);
    expect(await productionStartRefusal(db, production)).toBeNull();
    expect((await db.facilityApiKey.findUniqueOrThrow({ where: { id: "fk-demo-fac11" } })).revokedAt).toEqual(NOW);
    expect((await db.session.findUniqueOrThrow({ where: { id: "s-demo-admin" } })).endedAt).toEqual(NOW);
  });

  it("lets a real account use a demo login id with its own credentials; refuses any account holding the published secret (twin)", async () => {
    // a real network may well call its own administrator "admin1" or reuse "doctor1" after removing the demo
    await db.user.update({ where: { loginId: "doctor1" }, data: { active: true, passwordHash: await hash("an-own-long-password-2026"), totpSecret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" } });
    expect(await productionStartRefusal(db, production)).toBeNull();

    await db.user.create({ data: { id: "usr-real", loginId: "tanaka.h", name: "田中 久", profession: "DOCTOR", facilityId: "fac-01", passwordHash: await hash("an-own-long-password-2026"), totpSecret: DEMO_TOTP_SECRET } });
    expect(await productionStartRefusal(db, production)).toMatch(/1 demo account\(s\).*tanaka\.h \(demo second-factor secret\)/);
    await db.user.update({ where: { id: "usr-real" }, data: { totpSecret: null } });

    // and a demo login id reactivated with the published password is refused again
    await db.user.update({ where: { loginId: "clerk1" }, data: { active: true } });
    expect(await productionStartRefusal(db, production)).toMatch(/1 demo account\(s\).*clerk1 \(demo second-factor secret\)/);
  });
});

describe("the automatic demo seed of npm run dev / npm start", () => {
  it("seeds in dev on an embedded or local database", () => {
    expect(autoSeedSkipReason("dev", {})).toBeNull();
    for (const url of ["postgresql://u:p@localhost:5432/tsunagu", "postgresql://u:p@127.0.0.1/tsunagu", "postgresql://u:p@[::1]:5432/tsunagu", "postgresql:///tsunagu?host=/var/run/postgresql"]) {
      expect(isLocalDatabase(url), url).toBe(true);
      expect(autoSeedSkipReason("dev", { DATABASE_URL: url }), url).toBeNull();
    }
  });
  it("never seeds from npm start, even on an empty local database and without NODE_ENV=production (twin)", () => {
    expect(autoSeedSkipReason("start", {})).toMatch(/npm start` never seeds/);
    expect(autoSeedSkipReason("start", { DATABASE_URL: "postgresql://u:p@localhost/tsunagu" })).toMatch(/never seeds/);
  });
  it("does not seed a database on another machine from dev (twin), however its URL dresses it up", () => {
    for (const url of ["postgresql://u:p@db.hospital.example:5432/tsunagu", "postgresql://u:p@10.0.0.5/tsunagu", "postgresql://u:p@localhost/tsunagu?host=db.hospital.example", "postgresql://u:p@localhost.example.jp/tsunagu", "postgresql://u@/tsunagu"]) {
      expect(isLocalDatabase(url), url).toBe(false);
      expect(autoSeedSkipReason("dev", { DATABASE_URL: url }), url).toMatch(/not on this machine/);
    }
  });
  it("honours TSUNAGU_SEED=0 in dev", () => {
    expect(autoSeedSkipReason("dev", { TSUNAGU_SEED: "0" })).toBe("TSUNAGU_SEED=0");
  });
});
