import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { freshDatabase } from "./helpers/db";
import type { Db } from "../lib/db/client";
import { handleFhirPush, methodNotAllowed, type PushRequest } from "../lib/ingest/fhir-push";
import { FHIR_DOCUMENT_MAX_BYTES } from "../lib/ingest/fhir-document";
import { issueFacilityKey, revokeFacilityKeys, FacilityKeyError } from "../lib/auth/facility-key";

/**
 * POST /api/fhir on the real database: every refusal (401, 403, 413, 415, 400) next to its twin that
 * succeeds, each answer an OperationOutcome naming the problem in Japanese and English, or a FHIR
 * transaction-response.
 */
const REFERRAL = fs.readFileSync(path.resolve(__dirname, "../../shared/fixtures/jp-clins/Bundle-Bundle-CLINS-Referral-Example-01.json"), "utf8");
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let key: string;
let suspendedKey: string;
let viewerKey: string;

const stream = (text: string | Uint8Array<ArrayBuffer>) => new Blob([text]).stream();
const push = (over: Partial<PushRequest> & { text?: string } = {}) =>
  handleFhirPush(db, { authorization: `Bearer ${key}`, contentType: "application/fhir+json", contentLength: null, body: stream(over.text ?? REFERRAL), ...over });
type Outcome = { resourceType: string; issue: { severity: string; code: string; details: { text: string }; diagnostics: string; expression?: string[] }[] };

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await db.facility.create({ data: { id: "fH", code: "1318814790", name: "東京みなと病院", kind: "HOSPITAL" } });
  await db.facility.create({ data: { id: "fS", code: "1318814791", name: "停止中病院", kind: "HOSPITAL", status: "SUSPENDED" } });
  await db.facility.create({ data: { id: "fV", code: "1318814792", name: "閲覧のみ病院", kind: "HOSPITAL", discloses: false } });
  await db.patient.create({
    data: { id: "tp-makino", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birthDate: new Date("1930-06-28"), insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: "05" },
  });
  key = (await issueFacilityKey(db, "1318814790", "test")).key;
  suspendedKey = (await issueFacilityKey(db, "1318814791", "test")).key;
  viewerKey = (await issueFacilityKey(db, "1318814792", "test")).key;
});
afterAll(async () => ctx?.close());

describe("POST /api/fhir", () => {
  it("401 without a key, with an unknown one, and with a revoked one; the live key succeeds", async () => {
    for (const authorization of [null, "Bearer tsk_nope_nope", `Basic ${key}`]) {
      const a = await push({ authorization });
      expect(a.status).toBe(401);
      const o = a.body as Outcome;
      expect(o.resourceType).toBe("OperationOutcome");
      expect(o.issue[0]).toMatchObject({ severity: "error", code: "login" });
      expect(o.issue[0]!.details.text).toContain("APIキー");
      expect(o.issue[0]!.diagnostics).toContain("API key");
    }
    const ok = await push();
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ resourceType: "Bundle", type: "transaction-response" });
    expect((ok.body as { entry: { response: { status: string } }[] }).entry[0]!.response.status).toBe("201 Created");
    // entries with no place in the record say so on their own line instead of claiming "201 Created"
    const lines = (ok.body as { entry: { response: { status: string; outcome?: Outcome } }[] }).entry;
    expect(lines).toHaveLength(18);
    expect(lines[3]!.response.outcome?.issue[0]!.details.text).toMatch(/^取り込んでいません/); // a Practitioner
    expect(lines[8]!.response).toEqual({ status: "201 Created" }); // a Condition
    // the document's warnings, in Japanese too: here an allergy the letter gives no date
    const warned = lines[0]!.response.outcome!.issue;
    expect(warned.some((i) => i.details.text.startsWith("日付がないため") && i.diagnostics.startsWith("NO_DATE"))).toBe(true);
    expect(await db.document.count({ where: { patientId: "tp-makino", facilityId: "fH", kind: "REFERRAL" } })).toBe(1);

    const spare = await issueFacilityKey(db, "1318814790", "test");
    expect((await push({ authorization: `Bearer ${spare.key}` })).status).toBe(200);
    await revokeFacilityKeys(db, "1318814790", "test", spare.id);
    const reused = () => db.auditEvent.count({ where: { action: "REVOKED_CREDENTIAL_USED", actorId: `ingest:key:${spare.id}` } });
    expect(await reused()).toBe(0); // used while live: nothing to report
    expect((await push({ authorization: `Bearer ${spare.key}` })).status).toBe(401);
    // the revoked key presented again is on record, under the key (review 5, m4); a made-up key is not
    expect(await reused()).toBe(1);
    expect(await db.auditEvent.count({ where: { action: "REVOKED_CREDENTIAL_USED", detail: { path: ["keyId"], equals: "nope" } } })).toBe(0);
    await expect(revokeFacilityKeys(db, "1318814790", "test", spare.id)).rejects.toThrow(FacilityKeyError);
    // keys are stored only as hashes
    expect((await db.facilityApiKey.findMany()).some((k) => k.hash === key || k.hash.includes(key.slice(-20)))).toBe(false);
  });

  it("a resend of the same letter is 200 OK and changes nothing", async () => {
    const a = await push();
    expect(a.status).toBe(200);
    expect((a.body as { entry: { response: { status: string } }[] }).entry[0]!.response.status).toBe("200 OK");
    expect(await db.condition.count({ where: { facilityId: "fH" } })).toBe(5);
  });

  it("403 for a suspended facility and for one that does not disclose, each audited", async () => {
    const s = await push({ authorization: `Bearer ${suspendedKey}` });
    expect(s.status).toBe(403);
    expect((s.body as Outcome).issue[0]).toMatchObject({ code: "forbidden" });
    expect((s.body as Outcome).issue[0]!.details.text).toContain("停止");
    const v = await push({ authorization: `Bearer ${viewerKey}` });
    expect(v.status).toBe(403);
    expect((v.body as Outcome).issue[0]!.details.text).toContain("開示施設");
    expect(await db.auditEvent.count({ where: { action: "IMPORT_REFUSED" } })).toBe(2);
  });

  it("413 when the declared length is over the limit, and when the body is longer than it said", async () => {
    expect((await push({ contentLength: String(FHIR_DOCUMENT_MAX_BYTES + 1) })).status).toBe(413);
    const big = new Uint8Array(FHIR_DOCUMENT_MAX_BYTES + 10).fill(0x20);
    const a = await push({ contentLength: "10", body: stream(big) });
    expect(a.status).toBe(413);
    expect((a.body as Outcome).issue[0]!.code).toBe("too-costly");
  });

  it("400 for JSON that does not parse, a resource that is not a Bundle, and a Bundle that breaks an invariant, naming the element", async () => {
    const broken = await push({ text: REFERRAL.slice(0, 500) });
    expect(broken.status).toBe(400);
    expect((broken.body as Outcome).issue[0]!.code).toBe("structure");
    for (const text of ["[]", "null", "42"]) {
      const odd = await push({ text });
      expect(odd.status).toBe(400);
      expect((odd.body as Outcome).issue[0]!.details.text).toContain("JSON のオブジェクト");
    }
    const patient = await push({ text: JSON.stringify({ resourceType: "Patient" }) });
    expect(patient.status).toBe(400);
    expect((patient.body as Outcome).issue[0]!.expression).toEqual(["resourceType"]);
    const b = JSON.parse(REFERRAL);
    b.identifier.value = "1318814790^2024^broken";
    b.entry[1].resource.identifier = b.entry[1].resource.identifier.slice(0, 1); // R1012: no 被保険者個人識別子
    const bad = await push({ text: JSON.stringify(b) });
    expect(bad.status).toBe(400);
    const issue = (bad.body as Outcome).issue.find((i) => i.code === "invariant")!;
    expect(issue.expression).toEqual(["Bundle.entry[1].resource"]);
    expect(issue.details.text).toMatch(/^valid-system-insurance-patientIdentifier: R1012/);
    expect(issue.diagnostics).toContain("R1012");
    expect(await db.ingestDocument.count({ where: { sourceKey: { contains: "broken" } } })).toBe(0);
  });

  it("429 when one key pushes more than its window allows, audited; another key still pushes", async () => {
    const burst = await issueFacilityKey(db, "1318814790", "test");
    const other = await issueFacilityKey(db, "1318814790", "test");
    const limit = { max: 2, windowMinutes: 1 };
    const as = (k: string) => handleFhirPush(db, { authorization: `Bearer ${k}`, contentType: "application/fhir+json", contentLength: null, body: stream(REFERRAL) }, limit);
    expect((await as(burst.key)).status).toBe(200);
    expect((await as(burst.key)).status).toBe(200);
    const third = await as(burst.key);
    expect(third.status).toBe(429);
    expect((third.body as Outcome).issue[0]).toMatchObject({ code: "throttled" });
    expect((third.body as Outcome).issue[0]!.details.text).toContain("送信が多すぎます");
    expect(await db.auditEvent.count({ where: { action: "RATE_LIMITED", actorId: `ingest:key:${burst.id}` } })).toBe(1);
    expect((await as(other.key)).status).toBe(200);
  });

  it("a document nested 100,000 levels deep is refused as such, and nothing is written", async () => {
    const N = 100_000;
    const deep = '{"url":"http://e","extension":['.repeat(N) + '{"url":"http://e","valueString":"x"}' + "]}".repeat(N);
    const text = REFERRAL.replace('"resourceType": "Condition",', `"resourceType": "Condition", "extension": [${deep}],`).replace("0123-Referral-203949583949", "deep");
    const before = await db.ingestDocument.count();
    const a = await push({ text });
    // before this check, the database write overflowed the stack and the sender got a bare 500
    expect(a.status).toBe(400);
    expect((a.body as Outcome).issue[0]).toMatchObject({ code: "structure" });
    expect((a.body as Outcome).issue[0]!.details.text).toContain("入れ子が 64 段より深い");
    expect(await db.ingestDocument.count()).toBe(before);
  });

  it("405 for any method but POST, as an OperationOutcome", () => {
    const a = methodNotAllowed();
    expect(a.status).toBe(405);
    expect((a.body as Outcome).issue[0]!.diagnostics).toContain("POST only");
  });

  it("415 for a body that is not JSON by its Content-Type; the FHIR and plain JSON types are accepted", async () => {
    expect((await push({ contentType: "text/xml" })).status).toBe(415);
    expect((await push({ contentType: "application/json; charset=utf-8" })).status).toBe(200);
  });

  it("202 for a Bundle whose patient is not yet linked: kept, and filed when the review confirms it", async () => {
    const b = JSON.parse(REFERRAL);
    b.identifier.value = "1318814790^2024^unknown-patient";
    b.entry[1].resource.identifier[0].value = "000123000";
    b.entry[1].resource.identifier[1].value = "00099999:かきく:１:01";
    const a = await push({ text: JSON.stringify(b) });
    expect(a.status).toBe(202);
    expect((a.body as Outcome).issue[0]!.details.text).toContain("保留");
    expect((a.body as Outcome).issue[0]!.details.text).toContain("まだつなぐのどの患者にも結び付いていません");
    expect((a.body as Outcome).issue[0]!.diagnostics).toContain("NO_LINK: no patient is linked to facility 1318814790 id 000123000");
    expect(await db.heldDocument.count()).toBe(1);
  });

  it("keeps one import-log run per push, named by its Bundle.identifier and key", async () => {
    const logs = await db.importLog.findMany({ where: { facilityId: "fH", via: "API" } });
    expect(logs.length).toBeGreaterThanOrEqual(4);
    expect(logs.every((l) => l.by.startsWith("key:fk-") && l.source.startsWith("api:"))).toBe(true);
  });

  it("never fails on garbage: random bytes, random JSON and broken Bundles each get a 4xx OperationOutcome saying why (property)", async () => {
    const referral = JSON.parse(REFERRAL);
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => new Uint8Array(b)),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? "null"),
      fc.integer({ min: 1, max: REFERRAL.length - 1 }).map((n) => REFERRAL.slice(0, n)),
      fc.tuple(fc.integer({ min: 0, max: referral.entry.length - 1 }), fc.jsonValue()).map(([i, g]) => {
        const b = structuredClone(referral);
        b.identifier.value = "1318814790^2024^fuzz-push";
        b.entry[i].resource = g;
        return JSON.stringify(b);
      }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const a = await handleFhirPush(db, { authorization: `Bearer ${key}`, contentType: "application/fhir+json", contentLength: null, body: stream(text) });
        expect([200, 202, 400]).toContain(a.status);
        if (a.status === 400) {
          const o = a.body as Outcome;
          expect(o.resourceType).toBe("OperationOutcome");
          expect(o.issue.length).toBeGreaterThan(0);
          for (const i of o.issue) expect(i.details.text.length * i.diagnostics.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 80 },
    );
  });
});
