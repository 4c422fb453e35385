import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["tests/**/*.test.ts"],
    environment: "node",
    // Each integration test file gets its own database, a copy of the run's migrated template
    // (tests/helpers/database-template.ts), so files may run side by side: two at once keep both of
    // these 2 cores busy while one file waits on its database or on a child process.
    globalSetup: ["tests/helpers/database-template.ts"],
    pool: "forks",
    fileParallelism: true,
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
