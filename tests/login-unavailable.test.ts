import { expect, it } from "vitest";

/**
 * A login the server cannot check at all (its database unreachable) must not be told its ID, password
 * or code is wrong: review 11 found a correct login refused so while another process held the embedded
 * database. authorize() says DATABASE_UNAVAILABLE, which the login form shows as the system's problem
 * (app/login/LoginForm). Its twin, a wrong password on a database that answers, keeps the one generic
 * refusal (e2e/auth.spec.ts).
 */
it("a login the database cannot check is refused as unavailable, not as wrong credentials", async () => {
  // nothing listens on port 9: the pool's connection is refused (before lib/env reads the environment)
  // (the run's own migration and replica URLs name another server: lib/env would refuse the pair)
  process.env.DATABASE_URL = "postgresql://tsunagu:tsunagu@127.0.0.1:9/tsunagu";
  delete process.env.TSUNAGU_MIGRATION_DATABASE_URL;
  delete process.env.DATABASE_REPLICA_URL;
  const { authOptions } = await import("../lib/auth/options");
  const provider = authOptions.providers[0] as unknown as { options: { authorize: (c: Record<string, string>, req: unknown) => Promise<unknown> } };
  await expect(provider.options.authorize({ loginId: "doctor1", password: "Tsunagu-demo-2026", code: "123456" }, { headers: {} })).rejects.toThrow("DATABASE_UNAVAILABLE");
}, 60_000);
