import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { freshDatabase } from "./helpers/db";
import { FHIR_SOURCE, JP_CLINS_FIXTURES, ingestViewer, jpClinsFixture, seedIngestNetwork } from "./helpers/ingest-network";
import type { Db } from "../lib/db/client";
import { getPatientView } from "../lib/record";
import { importFhirPath } from "../lib/ingest/fhir-files";
import { importFhirDocument } from "../lib/ingest/fhir-document";
import { IngestRefusedError } from "../lib/ingest/summary";
import { confirmCandidate, IdentityReviewError, listCandidates, rejectCandidate } from "../lib/ingest/identity-review";
import { verifyChain } from "../lib/audit";

/**
 * The FHIR (JP-CLINS) import on the real database, over the published examples (unmodified): what is
 * filed and where, resends, deletes, 未告知, and that nothing lands under a patient the document does
 * not name exactly (the examples' own 枝番 01/05 conflict).
 */
const FIXTURES = JP_CLINS_FIXTURES;
const REFERRAL = path.join(FIXTURES, "Bundle-Bundle-CLINS-Referral-Example-01.json");
const OBSERVATIONS = path.join(FIXTURES, "Bundle-Bundle-CLINS-Observations-Example-01.json");
const fixture = jpClinsFixture;
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorB = ingestViewer;
const source = FHIR_SOURCE;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  await seedIngestNetwork(db, { sender: { id: "fH", code: "1318814790", name: "東京みなと病院" }, viewOnly: { code: "1311234567", name: "閲覧のみ病院", kind: "HOSPITAL" }, format: "fhir" });
});
afterAll(async () => ctx?.close());

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
/** the same Bundle as a facility's system sends it again: every fullUrl a fresh UUID */
function resent(bundle: { entry: { fullUrl: string }[] }) {
  let text = JSON.stringify(bundle);
  for (const e of bundle.entry) text = text.split(e.fullUrl).join(`urn:uuid:${crypto.randomUUID()}`);
  return JSON.parse(text);
}

describe("importing the JP-CLINS referral letter", () => {
  it("links its patient by the exact 被保険者個人識別子 with 枝番, birth date and sex, and files the letter, diagnoses and allergies", async () => {
    const s = await importFhirPath(db, "1318814790", REFERRAL, { by: "test" });
    expect(s.counts).toMatchObject({ created: 1, rejected: 0, held: 0 });
    expect(s.records).toBe(9); // 5 conditions, 3 allergies, 1 letter
    const link = await db.patientLink.findFirstOrThrow({ where: { facilityId: "fH" } });
    expect(link).toMatchObject({ patientId: "tp-makino", localPatientId: "000999739", provenance: "AUTOMATIC", branchNumber: "05" });
    // what has no record kind is reported, never dropped silently
    expect(s.warnings.filter((w) => w.warning.startsWith("NOT_IMPORTED")).map((w) => w.warning.split(":")[1]!.trim())).toEqual([
      "Bundle.entry[2].resource", "Bundle.entry[3].resource", "Bundle.entry[4].resource", "Bundle.entry[5].resource", "Bundle.entry[6].resource", "Bundle.entry[7].resource", "Bundle.entry[16].resource", "Bundle.entry[17].resource",
    ]);
    const conditions = await db.condition.findMany({ where: { patientId: "tp-makino", facilityId: "fH" }, orderBy: { id: "asc" } });
    expect(conditions.map((c) => [c.code, c.display]).sort()).toEqual([["20058911", "狭心症"], ["20065011", "上腹部痛"], ["20065011", "上腹部痛"], ["20075383", "腰痛"], ["20080427", "左前腕骨折"]].sort());
    // dates at the precision sent: 腰痛 2022-05, 狭心症 2018; one 上腹部痛 has none (filed at the letter's time, said so)
    const precision = Object.fromEntries(conditions.map((c) => [`${c.display}|${c.occurredPrecision}`, c.occurredAt.toISOString().slice(0, 10)]));
    expect(precision).toMatchObject({ "腰痛|MONTH": "2022-04-30", "狭心症|YEAR": "2017-12-31", "上腹部痛|null": "2022-06-08", "上腹部痛|NONE": "2021-11-26" });
    expect(s.warnings.filter((w) => w.warning.startsWith("NO_DATE")).length).toBeGreaterThan(0);
    const letter = await db.document.findFirstOrThrow({ where: { patientId: "tp-makino", facilityId: "fH" } });
    expect(letter).toMatchObject({ kind: "REFERRAL", title: "診療情報提供書", authorName: "大河内 勘三郎" });
    expect(letter.body).toContain("腹痛精査お願いします。");
  });

  it("shows a consented doctor elsewhere the letter's allergies in the banner and its diagnoses in the problems", async () => {
    const view = await getPatientView(doctorB, "tp-makino");
    expect(view.summary.banner.allergies.map((a) => a.display).sort()).toEqual(["さば", "キーウイ", "ヨードうがい液"].sort());
    expect(view.summary.banner.allergies.find((a) => a.display === "ヨードうがい液")).toMatchObject({ kind: "DRUG", facilityId: "fH" });
    expect(view.summary.problems.map((p) => p.display)).toContain("上腹部痛");
    // the dated record gives the onset; the undated one does not pass for it
    expect(view.summary.problems.find((p) => p.display === "上腹部痛")).toMatchObject({ since: "2022-06-08T15:00:00.000Z", sincePrecision: null });
    expect(view.summary.problems.find((p) => p.display === "腰痛")?.sincePrecision).toBe("MONTH");
    expect(view.timeline.entries.some((e) => e.kind === "document" && e.facilityId === "fH")).toBe(true);
    // the map says when the hospital last sent her data, so silence is not taken for "nothing happened"
    expect(Date.now() - Date.parse(view.summary.lastReceived.fH!)).toBeLessThan(60_000);
    expect(Object.keys(view.summary.lastReceived)).toEqual(["fH"]);
    // the twin of the SS-MIX2 birth-date disagreement: a document that names the patient as the record does warns of nothing
    expect(view.summary.sourceMismatches).toEqual({});
    expect(view.summary.problems.some((p) => p.uninformed)).toBe(false);
  });

  it("lists a diagnosis the letter calls resolved as history, not a current problem, though no end date was sent", async () => {
    const view = await getPatientView(doctorB, "tp-makino");
    // 狭心症 (2018, 軽快) and 左前腕骨折 have clinicalStatus resolved and no abatement date
    expect(view.summary.problems.map((p) => p.display)).not.toContain("狭心症");
    expect(view.summary.problems.map((p) => p.display)).not.toContain("左前腕骨折");
    const angina = view.timeline.entries.find((e) => e.kind === "condition" && e.summary === "狭心症");
    expect(angina?.tag).toBe("ENDED");
  });

  it("shows an allergy once when the hospital repeats it in a second letter", async () => {
    const second = JSON.parse(fs.readFileSync(REFERRAL, "utf8"));
    second.identifier.value = "1318814790^2024^second-letter";
    expect((await importFhirDocument(db, source, "second", second)).status).toBe("created");
    const view = await getPatientView(doctorB, "tp-makino");
    expect(view.summary.banner.allergies.map((a) => a.display).sort()).toEqual(["さば", "キーウイ", "ヨードうがい液"].sort());
    await importFhirDocument(db, source, "second-del", { resourceType: "Bundle", type: "transaction", entry: [{ request: { method: "DELETE", url: "Bundle?identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^second-letter" } }] });
  });

  it("changes nothing when the same letter is sent again with new fullUrls, and replaces it whole when its content changes", async () => {
    const bundle = JSON.parse(fs.readFileSync(REFERRAL, "utf8"));
    const again = await importFhirDocument(db, source, "resend", resent(bundle));
    expect(again.status).toBe("unchanged");
    expect(await db.condition.count({ where: { facilityId: "fH" } })).toBe(5);
    // the second send drops one diagnosis: the report is replaced whole, never merged
    const fewer = resent(bundle);
    fewer.entry = fewer.entry.filter((e: { resource: { id: string } }) => e.resource.id !== "Example-JP-Condition-eCS-FxInline");
    fewer.entry[0].resource.section = clone(bundle.entry[0].resource.section);
    const r = await importFhirDocument(db, source, "resend-2", fewer);
    expect(r.status, r.reason).toBe("replaced");
    expect((await db.condition.findMany({ where: { facilityId: "fH" } })).map((c) => c.display).sort()).toEqual(["上腹部痛", "上腹部痛", "狭心症", "腰痛"].sort());
    expect(await db.document.count({ where: { facilityId: "fH" } })).toBe(1);
  });

  it("removes the report on a transaction that deletes it by its Bundle.identifier, and reports a deletion of nothing", async () => {
    const del = { resourceType: "Bundle", type: "transaction", entry: [{ request: { method: "DELETE", url: "Bundle?identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^0123-Referral-203949583949" } }] };
    const r = await importFhirDocument(db, source, "delete", del);
    expect(r.status).toBe("deleted");
    expect(await db.condition.count({ where: { facilityId: "fH" } })).toBe(0);
    expect(await db.document.count({ where: { facilityId: "fH" } })).toBe(0);
    const twice = await importFhirDocument(db, source, "delete-again", del);
    expect(twice.status).toBe("deleted");
    expect(twice.warnings.join()).toContain("DELETE_UNKNOWN");
    // and a resend brings it back whole
    expect((await importFhirPath(db, "1318814790", REFERRAL, { by: "test" })).counts.replaced).toBe(1);
    expect(await db.condition.count({ where: { facilityId: "fH" } })).toBe(5);
  });
});

describe("identity: nothing under the wrong person", () => {
  it("holds the Observations Bundle, whose 枝番 is 01 under the same hospital id, as a candidate pair instead of merging", async () => {
    const s = await importFhirPath(db, "1318814790", OBSERVATIONS, { by: "test" });
    expect(s.counts).toMatchObject({ held: 1, created: 0 });
    expect(s.held[0]!.reason).toMatch(/^BRANCH_CONFLICT: facility 1318814790 id 000999739 is linked with 枝番 05, this document says 01/);
    expect(await db.labResult.count()).toBe(0);
    const [c] = await listCandidates(db);
    expect(c).toMatchObject({ facilityId: "fH", localPatientId: "000999739", suggestedPatientId: "tp-makino" });
    expect((c!.identity as { conflict: string }).conflict).toContain("BRANCH_CONFLICT");
    expect(await db.heldDocument.count({ where: { candidateId: c!.id } })).toBe(1);
    // the parser still reads every value the file holds, whatever the filing decided (tests/fhir-read)
    // confirming would merge two members of a family: refused while the id is linked to the other
    await expect(confirmCandidate(db, c!.id, { by: "admin" })).rejects.toThrow(IdentityReviewError);
    await rejectCandidate(db, c!.id, { by: "admin" });
    expect(await db.heldDocument.count()).toBe(0);
  });

  it("holds a document from a patient nobody is linked to, and files it when an administrator confirms the link", async () => {
    const other = clone(fixture("Bundle-Bundle-CLINS-Observations-Example-01.json"));
    other.identifier.value = "1318814790^2024^obs-new-patient";
    const pat = other.entry[0].resource;
    pat.identifier[0].value = "000555001";
    pat.identifier[1].value = "00012345:あいう:１８７:05";
    const r = await importFhirDocument(db, source, "new-patient", other);
    // the identifiers match tp-makino exactly, but she is already known here under another id: two ids
    // for one person is for a human to sort out, so it is held with her as the suggestion only
    expect(r.status, r.reason).toBe("held");
    const c = (await listCandidates(db)).find((x) => x.localPatientId === "000555001")!;
    expect(c.suggestedPatientId).toBe("tp-makino");
    const done = await confirmCandidate(db, c.id, { by: "admin", patientId: "tp-makino" });
    expect(done.filed).toBe(1);
    expect(await db.labResult.count({ where: { patientId: "tp-makino", facilityId: "fH" } })).toBe(4);
    // confirmed from the CLI (npm run identity): the filing is its operator's, as a system actor under the facility
    expect(await db.auditEvent.findFirstOrThrow({ where: { action: "RECORDS_IMPORTED", detail: { path: ["file"], equals: "new-patient" } }, orderBy: { seq: "desc" } })).toMatchObject({ actorId: "ingest:admin", facilityId: "fH" });
    expect(await db.heldDocument.count()).toBe(0);
    await db.labResult.deleteMany({ where: { facilityId: "fH" } });
  });

  it("refuses a patient id of another facility, and one whose id system names no facility", async () => {
    const b = clone(fixture("Bundle-Bundle-CLINS-Referral-Example-01.json"));
    b.identifier.value = "1318814790^2024^other-facility";
    const p = b.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === "Patient").resource;
    p.identifier[0].system = "urn:oid:1.2.392.100495.20.3.51.11311234567";
    expect((await importFhirDocument(db, source, "x", b)).reason).toMatch(/^PATIENT_ID_OF_ANOTHER_FACILITY/);
    const minimum = await importFhirDocument(db, source, "min", fixture("Patient-Example-JP-Patient-minimun.json"));
    expect(minimum.status).toBe("rejected");
    expect(minimum.reason).toMatch(/^PATIENT_ID_SYSTEM/);
  });

  it("does not link automatically without the 枝番, nor when two patients share the identifiers", async () => {
    const b = clone(fixture("Bundle-Bundle-CLINS-Referral-Example-01.json"));
    b.identifier.value = "1318814790^2024^no-branch";
    const p = b.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === "Patient").resource;
    p.identifier = [{ system: "urn:oid:1.2.392.100495.20.3.51.11318814790", value: "000777001" }, { system: "http://jpfhir.jp/fhir/clins/Idsystem/JP_Insurance_memberID", value: "00012345:あいう:１８７:" }];
    const r = await importFhirDocument(db, source, "no-branch", b);
    expect(r.status, r.reason).toBe("held");
    expect(r.reason).toMatch(/^NO_LINK/);
    expect(await db.patientLink.count({ where: { facilityId: "fH", localPatientId: "000777001" } })).toBe(0);
  });
});

describe("the rest of the published examples", () => {
  it("reports every single resource it cannot file with the reason, and files the Patient's identity", async () => {
    const s = await importFhirPath(db, "1318814790", FIXTURES, { by: "test" });
    expect(s.filesRead).toBe(27);
    const reasons = Object.fromEntries(s.rejected.map((r) => [r.file, r.reason.split(":")[0]]));
    expect(reasons["Condition-Example-JP-Condition-eCS-01.json"]).toBe("IDENTITY_INCOMPLETE");
    expect(reasons["MedicationRequest-Example-JP-MedReq-PO-BID-2d.json"]).toBe("IDENTITY_INCOMPLETE");
    expect(reasons["Condition-Example-JP-Condition-eCS-ANGINA.json"]).toBe("NO_PATIENT");
    expect(reasons["Patient-Example-JP-Patient-minimun.json"]).toBe("PATIENT_ID_SYSTEM");
    // 5 allergies, 4 conditions, 7 prescriptions, 3 lab results, and the Patient with no facility id
    expect(s.counts.rejected).toBe(20);
    expect(s.counts.not_imported).toBe(3); // two Organizations and an Encounter: no record kind
    // the two Patient files say the same about 000999739: identity only, filed once; the referral was
    // already imported; the Observations Bundle is held (its 枝番 01 conflict)
    expect(s.counts).toMatchObject({ created: 1, unchanged: 2, held: 1 });
    expect(s.rejected.every((r) => r.reason.length > 20)).toBe(true);
  });

  it("gives the same outcome with the files read ahead, as from a network share", async () => {
    await importFhirPath(db, "1318814790", FIXTURES, { by: "test" }); // whatever ran before, both runs below find the folder filed
    const sync = await importFhirPath(db, "1318814790", FIXTURES, { by: "test", reads: "sync" });
    const ahead = await importFhirPath(db, "1318814790", FIXTURES, { by: "test", reads: "ahead" });
    expect(ahead.filesRead).toBe(27);
    expect(ahead.counts).toEqual(sync.counts);
    // lanes finish in their own order on PostgreSQL: the same rejections and holds, whatever their order
    const byFile = <T extends { file: string }>(xs: readonly T[]) => [...xs].sort((a, b) => a.file.localeCompare(b.file) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(byFile(ahead.rejected)).toEqual(byFile(sync.rejected));
    expect(byFile(ahead.held)).toEqual(byFile(sync.held));
  });

  it("marks a diagnosis tagged UNINFORMED 未告知 and does not store an UNDELIVERED one", async () => {
    const bundle = clone(fixture("Bundle-Bundle-CLINS-Referral-Example-01.json"));
    bundle.identifier.value = "1318814790^2024^tags";
    const conditions = bundle.entry.filter((e: { resource: { resourceType: string } }) => e.resource.resourceType === "Condition");
    const tag = (code: string) => ({ system: "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication", code });
    conditions[0].resource.meta.tag = [tag("UNINFORMED")];
    conditions[1].resource.meta.tag = [tag("UNDELIVERED")];
    const r = await importFhirDocument(db, source, "tags", bundle);
    expect(r.status, r.reason).toBe("created");
    expect(r.warnings.filter((w) => w.startsWith("UNDELIVERED"))).toHaveLength(1);
    const rows = await db.condition.findMany({ where: { sourceRef: "tags" } });
    expect(rows).toHaveLength(4);
    expect(rows.filter((c) => c.uninformed).map((c) => c.display)).toEqual(["上腹部痛"]);
    // shown to clinicians marked 未告知, on the problem line (one facility's mark holds for the line) and the timeline
    const view = await getPatientView(doctorB, "tp-makino");
    expect(view.summary.problems.find((p) => p.display === "上腹部痛")?.uninformed).toBe(true);
    expect(view.summary.problems.find((p) => p.display === "腰痛")?.uninformed).toBe(false);
    await importFhirDocument(db, source, "tags-del", { resourceType: "Bundle", type: "transaction", entry: [{ request: { method: "DELETE", url: "Bundle?identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^tags" } }] });
    expect(await db.condition.count({ where: { sourceRef: "tags" } })).toBe(0);
  });

  it("rejects a Bundle that breaks a JP-CLINS invariant, naming it, and files nothing", async () => {
    const bundle = clone(fixture("Bundle-Bundle-CLINS-Referral-Example-01.json"));
    bundle.identifier.value = "1318814790^2024^invariant";
    // R1012: the Patient must carry exactly one 被保険者個人識別子
    const patient = bundle.entry.find((e: { resource: { resourceType: string } }) => e.resource.resourceType === "Patient").resource;
    patient.identifier = patient.identifier.slice(0, 1);
    const before = await db.condition.count();
    const r = await importFhirDocument(db, source, "bad", bundle);
    expect(r.status).toBe("rejected");
    expect(r.issues.find((i) => i.severity === "error")).toMatchObject({ invariant: "valid-system-insurance-patientIdentifier", expression: "Bundle.entry[1].resource" });
    expect(r.reason).toContain("R1012");
    expect(await db.condition.count()).toBe(before);
  });
});

describe("refusals and robustness", () => {
  it("refuses a facility that does not disclose, audited", async () => {
    await expect(importFhirPath(db, "1311234567", REFERRAL, { by: "test" })).rejects.toThrow(IngestRefusedError);
    expect(await db.auditEvent.count({ where: { action: "IMPORT_REFUSED" } })).toBeGreaterThan(0);
  });

  it("keeps an import log per run with its counts", async () => {
    const logs = await db.importLog.findMany({ where: { facilityId: "fH" }, orderBy: { startedAt: "asc" } });
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(logs.every((l) => l.finishedAt !== null && l.via === "CLI")).toBe(true);
    expect(logs[0]!.counts).toMatchObject({ created: 1, files: 1, records: 9 });
  });

  it("reports a file that is not JSON, or not UTF-8, with its reason", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fhir-"));
    fs.writeFileSync(path.join(dir, "a.json"), '{"resourceType": "Bundle", ');
    fs.writeFileSync(path.join(dir, "b.json"), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    fs.writeFileSync(path.join(dir, "notes.txt"), "hello");
    const s = await importFhirPath(db, "1318814790", dir, { by: "test" });
    expect(s.rejected.map((r) => [r.file, r.reason.split(":")[0]])).toEqual([["a.json", "INVALID_JSON"], ["b.json", "NOT_UTF8"]]);
    expect(s.notImported).toEqual({ "not a .json file": 1 });
  });

  it("files a folder in parallel lanes with each patient's documents in name order, a deletion never overtaking what it deletes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fhir-lanes-"));
    const letter = (key: string) => {
      const b = fixture("Bundle-Bundle-CLINS-Referral-Example-01.json");
      b.identifier.value = `1318814790^2024^${key}`;
      return b;
    };
    const del = { resourceType: "Bundle", type: "transaction", entry: [{ request: { method: "DELETE", url: "Bundle?identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^lanes-b" } }] };
    fs.writeFileSync(path.join(dir, "1-letter-a.json"), JSON.stringify(letter("lanes-a")));
    fs.writeFileSync(path.join(dir, "2-letter-b.json"), JSON.stringify(letter("lanes-b")));
    fs.writeFileSync(path.join(dir, "3-delete-b.json"), JSON.stringify(del));
    fs.writeFileSync(path.join(dir, "4-letter-b-again.json"), JSON.stringify(resent(letter("lanes-b"))));
    fs.writeFileSync(path.join(dir, "5-not-json.txt"), "x");
    const order: string[] = [];
    const s = await importFhirPath(db, "1318814790", dir, { by: "test", parallel: 4, onFile: (o) => order.push(`${o.file} ${o.status}`) });
    // as one at a time: the deletion finds the letter before it, and the resend after it files again
    // (a deletion run early would find nothing, and leave the resend "unchanged")
    expect(order.filter((o) => !o.startsWith("5-"))).toEqual(["1-letter-a.json created", "2-letter-b.json created", "3-delete-b.json deleted", "4-letter-b-again.json replaced"]);
    expect(s.counts).toMatchObject({ created: 2, deleted: 1, replaced: 1, not_imported: 1 });
    expect(s.warnings.some((w) => w.warning.startsWith("DELETE_UNKNOWN"))).toBe(false);
    const key = (k: string) => `fhir|http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^${k}`;
    expect((await db.ingestDocument.findFirstOrThrow({ where: { sourceKey: key("lanes-b") } })).status).toBe("CURRENT");
    for (const k of ["lanes-a", "lanes-b"]) await importFhirDocument(db, source, `${k}-del`, { ...del, entry: [{ request: { method: "DELETE", url: `Bundle?identifier=${key(k).slice(5)}` } }] });
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("never throws on garbage, and rejects it with a reason (property)", async () => {
    const referral = fixture("Bundle-Bundle-CLINS-Referral-Example-01.json");
    const records = await db.condition.count();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), fc.record({ resourceType: fc.constant("Bundle"), type: fc.constantFrom("document", "collection", "transaction"), entry: fc.array(fc.jsonValue(), { maxLength: 4 }) }), fc.integer({ min: 0, max: referral.entry.length - 1 }).chain((i) => fc.jsonValue().map((g) => { const b = clone(referral); b.identifier.value = "1318814790^2024^fuzz"; b.entry[i].resource = g; return b; }))), async (json) => {
        const o = await importFhirDocument(db, source, "fuzz", json);
        expect(["rejected", "held", "created", "replaced", "unchanged"]).toContain(o.status);
        if (o.status === "rejected") expect(o.reason?.length ?? 0).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
    // whatever was filed under the fuzz key goes again; the real letter is untouched
    await importFhirDocument(db, source, "fuzz-del", { resourceType: "Bundle", type: "transaction", entry: [{ request: { method: "DELETE", url: "Bundle?identifier=http://jpfhir.jp/fhir/clins/bundle-identifier|1318814790^2024^fuzz" } }] });
    expect(await db.condition.count()).toBe(records);
    expect((await verifyChain(db)).ok).toBe(true);
  });
});
