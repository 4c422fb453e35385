// `npm test` names each failed test above its closing counts (scripts/test-failures.mjs): CI logs are
// read from their end, and a count alone left a failure that did not come again elsewhere unknown.
// Both runners are run here for real, on a small folder of tests of which some fail.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { failedTests } from "../scripts/test-failures.mjs";

// inside the repository, so the specs resolve vitest and @playwright/test; outside tests/, so the
// suite's own run never picks these up
const dir = fs.mkdtempSync(path.join(process.cwd(), ".test-failures-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const bin = (name: string) => path.join(process.cwd(), "node_modules/.bin", name);

it("names each failed test of either runner with the first line of its error, and none that passed", () => {
  write("vitest.config.mjs", `export default { test: { include: ["*.test.ts"] } };\n`);
  write("a.test.ts", `import { describe, expect, it } from "vitest";
describe("区分", () => { it("passes", () => expect(1).toBe(1)); it("fails", () => expect("検査値").toBe("別の値")); });
`);
  write("broken.test.ts", `import "./no-such-module";\n`);
  write("pw.config.mjs", `export default { testDir: ".", testMatch: "*.spec.ts", reporter: [["json", { outputFile: "pw.json" }]], outputDir: "pw-results" };\n`);
  write("b.spec.ts", `import { test, expect } from "@playwright/test";
test.describe("画面", () => { test("passes", () => expect(1).toBe(1)); test("fails", () => expect(2).toBe(3)); });
`);
  spawnSync(bin("vitest"), ["run", "--root", dir, "--reporter=json", "--outputFile.json=v.json"], { cwd: dir, encoding: "utf8" });
  spawnSync(bin("playwright"), ["test", "--config", path.join(dir, "pw.config.mjs")], { cwd: dir, encoding: "utf8" });

  const lines = failedTests(path.join(dir, "v.json"), path.join(dir, "pw.json"), dir);
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^vitest: a\.test\.ts › 区分 fails: AssertionError: expected '検査値' to be '別の値'/);
  expect(lines[1]).toMatch(/^vitest: broken\.test\.ts: .*no-such-module/);
  expect(lines[2]).toMatch(/^playwright: b\.spec\.ts › 画面 › fails \(unexpected\): Error: expect\(received\)\.toBe\(expected\)/);
  expect(lines.join("\n")).not.toMatch(/passes/);
});

it("says nothing when a runner wrote no report (it did not run)", () => {
  expect(failedTests(path.join(dir, "none.json"), path.join(dir, "none-either.json"), dir)).toEqual([]);
});
