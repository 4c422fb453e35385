// An import pointed at the wrong folder must say so, not read nothing and exit 0 (review 10: the
// fixtures' folder, which holds a licence and the SS-MIX2 storage in sampleData/, was read as a folder
// of FHIR files, "not a .json file × 23", exit 0).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { hasJsonFile, ssmix2RootsBelow } from "../lib/ingest/fhir-files";
import { JP_CLINS_FIXTURES } from "./helpers/ingest-network";

const SSMIX2_PARENT = path.resolve(__dirname, "../../shared/fixtures/ssmix2");

it("finds the SS-MIX2 storage below a folder, and tells a FHIR folder by its .json files (twin)", async () => {
  expect(await ssmix2RootsBelow(SSMIX2_PARENT)).toEqual([path.join(SSMIX2_PARENT, "sampleData")]);
  expect(hasJsonFile(SSMIX2_PARENT)).toBe(false);
  expect(hasJsonFile(JP_CLINS_FIXTURES)).toBe(true);
  expect(await ssmix2RootsBelow(JP_CLINS_FIXTURES)).toEqual([]);
});

it("npm run import refuses a folder that is neither, exit 2, and names the storage below it", () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/import.ts", SSMIX2_PARENT, "--facility", "2210200277"], { env, encoding: "utf8", timeout: 120_000 });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain(`${SSMIX2_PARENT} is not an SS-MIX2 storage root`);
  expect(r.stderr).toContain(`the SS-MIX2 storage below it: ${path.join(SSMIX2_PARENT, "sampleData")}`);
});
