import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PreparePool } from "../lib/ingest/prepare-pool";
import { prepareFhirRead, type FhirRead } from "../lib/ingest/fhir-prepare";
import type { PreparedFhir } from "../lib/ingest/fhir-document";
import type { IngestSource } from "../lib/ingest/source";

/**
 * A folder import prepares its FHIR documents on worker threads (lib/ingest/prepare-pool). What a
 * worker answers must be exactly what the import's own thread would have prepared, for each file it
 * was sent, in whatever order the workers finish; and a worker that dies must not lose a document.
 */
const JP = path.resolve(__dirname, "../../shared/fixtures/jp-clins");
const source: IngestSource = { facilityId: "fac-jp", facilityCode: "1318814790", careCategory: "NORMAL", by: "test" };
const read = (bytes: Uint8Array): FhirRead => ({ bytes, size: bytes.length });

/** Every fixture, and files each rejected for a different reason. */
const inputs: [string, FhirRead][] = [
  ...fs.readdirSync(JP).filter((f) => f.endsWith(".json")).map((f): [string, FhirRead] => [f, read(fs.readFileSync(path.join(JP, f)))]),
  ["broken.json", read(Buffer.from('{"resourceType": "Bundle", "entry": [', "utf8"))],
  ["latin1.json", read(Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]))],
  ["huge.json", { bytes: null, size: 30 * 1024 * 1024 }],
  ["gone.json", { error: Object.assign(new Error("ENOENT: no such file or directory"), { code: "ENOENT" }) }],
];

let pool: PreparePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

/** What differs between two preparations that were made apart: nothing but object identity. */
const plain = (p: PreparedFhir) => JSON.parse(JSON.stringify(p)) as unknown;

describe("preparing FHIR documents on worker threads", () => {
  it("answers each file with what the import's own thread prepares, the fixtures and the rejected alike", async () => {
    pool = new PreparePool(2);
    const answers = await Promise.all(inputs.map(([name, r]) => pool!.prepare(source, r, name)));
    const here = inputs.map(([name, r]) => prepareFhirRead(source, r, name));
    expect(answers.map(plain)).toEqual(here.map(plain));
    // the files are what they are: real documents filed, the broken ones rejected with their reasons
    const kinds = Object.fromEntries(inputs.map(([name], i) => [name, answers[i]!.kind === "decided" ? (answers[i] as { outcome: { reason?: string } }).outcome.reason : answers[i]!.kind]));
    expect(kinds["Bundle-Bundle-CLINS-Referral-Example-01.json"]).toBe("file");
    expect(kinds["broken.json"]).toMatch(/^INVALID_JSON/);
    expect(kinds["latin1.json"]).toMatch(/^NOT_UTF8/);
    expect(kinds["huge.json"]).toMatch(/^TOO_LARGE: 31457280 bytes/);
    expect(kinds["gone.json"]).toMatch(/ENOENT/);
  });

  it("prepares on the import's thread what a dead worker had been sent, and everything after", async () => {
    pool = new PreparePool(1);
    const referral = inputs.find(([n]) => n.startsWith("Bundle-Bundle-CLINS-Referral"))![1];
    const sent = Array.from({ length: 20 }, (_, i) => pool!.prepare(source, referral, `r${i}.json`));
    // the worker dies with documents sent and unanswered
    await (pool as unknown as { workers: { worker: { terminate(): Promise<number> } }[] }).workers[0]!.worker.terminate();
    const after = await pool.prepare(source, referral, "after.json");
    const answers = await Promise.all(sent);
    expect(answers.map((a) => a.kind)).toEqual(Array(20).fill("file"));
    expect(answers.map((a) => (a.kind === "file" ? a.name : null))).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}.json`));
    expect(after.kind === "file" && after.name).toBe("after.json");
  });
});
