import { freshDatabase } from "./db";
import { setClockForTests } from "../../lib/clock";

/**
 * A fresh database with the demo network and 5 patients seeded as of `now`, and the clock held there:
 * what the tests that read the demo records need. `close` lets the clock go and closes the database.
 */
export async function seededDatabase(now: Date) {
  const ctx = await freshDatabase();
  const { seed } = await import("../../prisma/seed/index");
  await seed(ctx.db, { patients: 5, now });
  setClockForTests(now);
  return {
    ...ctx,
    close: async () => {
      setClockForTests(null);
      await ctx.close();
    },
  };
}
