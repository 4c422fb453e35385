import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import { asEcs } from "./helpers/fhir-ecs";
import type { Db } from "../lib/db/client";
import type { Actor } from "../lib/auth/actor";
import { getExportPage, getPatientView } from "../lib/record";
import { getPatientResource } from "../lib/record/fhir-search";
import { issueApiToken } from "../lib/auth/api-token";
import { readResource } from "../lib/record/fhir-api";
import { loadProfiles } from "../lib/interop/fhir/fhir-packages";
import { checkInvariants } from "../lib/interop/fhir/invariants";
import { writeBundle } from "../lib/interop/fhir/write-bundle";
import { writeTelecomAndContacts } from "../lib/interop/fhir/write-contacts";
import { writeCoverage } from "../lib/interop/fhir/write-coverage";
import type { Hl7Contact } from "../lib/interop/ssmix2/contacts";
import type { Resource } from "../lib/interop/fhir/write-common";

/**
 * The telephones, contacts and insurance a facility registered (SS-MIX2 ADT-00: PID-13/14, NK1, IN1)
 * leave in the FHIR export exactly as the 統合ビュー shows them to the same reader: JP_Patient's telecom
 * and contact, and a JP_Coverage per insurance. A doctor gets all; a pharmacist the patient's own
 * numbers and the insurance, not the family; under an emergency-only consent or break-glass, none.
 * Only facilities on the reader's record map are asked: one whose every record the patient withholds
 * from this reader does not reveal itself by its contacts.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
const doctorA = testActor("fA", "DOCTOR");
const pharmacistA = testActor("fA", "PHARMACIST");
const doctorD = testActor("fD", "DOCTOR");
const er = testActor("fE", "EMERGENCY", { facilityCanBreakGlass: true });
const BASE = "https://tsunagu.example.jp/api/fhir";
const COVERAGE_ID = "ct-b-6";

type Contact = { kind: "PHONE" | "NEXT_OF_KIN" | "INSURANCE"; code?: string; text?: string; name?: string; nameKana?: string; phone?: string; workPhone?: string; address?: string; insurerNumber?: string; insuredRelation?: string; validFrom?: string; validTo?: string };
/** fB's ADT-00, as lib/interop/ssmix2/contacts.ts files it */
const FB_CONTACTS: Contact[] = [
  { kind: "PHONE", code: "PRN", phone: "054-000-0001" },
  { kind: "PHONE", code: "WPN", phone: "054-000-0002" },
  { kind: "PHONE", code: "EMR", phone: "090-0000-0003" },
  { kind: "NEXT_OF_KIN", code: "SPO", text: "配偶者", name: "山田 花子", nameKana: "ヤマダ ハナコ", phone: "090-1111-2222", workPhone: "03-3333-4444", address: "〒4200001 静岡県静岡市葵区追手町1-1" },
  { kind: "NEXT_OF_KIN", code: "SEL", name: "山田 太郎", phone: "054-000-0001" },
  { kind: "INSURANCE", code: "C0", text: "国民健康保険", insurerNumber: "06221180", insuredRelation: "SEL", validFrom: "2024-04-01" },
  { kind: "INSURANCE", code: "G1", text: "協会けんぽ", insurerNumber: "01220012", insuredRelation: "SPO", validFrom: "2020-04-01", validTo: "2024-03-31" },
];

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const [id, code, canBreakGlass] of [["fA", "2210000001", false], ["fB", "2213000002", false], ["fD", "2210000004", false], ["fE", "2210000005", true], ["fN", "2210000006", false], ["fP", "2210000007", false]] as const) {
    await db.facility.create({ data: { id, code, name: `施設${id}`, kind: "HOSPITAL", canBreakGlass } });
  }
  for (const a of [doctorA, pharmacistA, doctorD, er]) await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: new Date("2020-01-01") } });
  await db.patient.create({ data: { id: "p1", familyName: "山田", givenName: "太郎", familyNameKana: "ヤマダ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1960-04-01"), insurerNumber: "06221180", insuredNumber: "1234" } });
  for (const f of ["fB", "fN", "fP"]) await db.patientLink.create({ data: { patientId: "p1", id: `lk-${f}`, facilityId: f, localPatientId: `${f}-0001` } });
  // fA sees everything but psychiatric care; fD only the emergency dataset; fE has no consent (break-glass below)
  await db.consent.create({ data: { patientId: "p1", id: "c-a", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorA.userId, withheldCategories: ["PSYCHIATRIC"] } });
  await db.consent.create({ data: { patientId: "p1", id: "c-d", facilityId: "fD", scope: "EMERGENCY", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorD.userId } });
  await db.breakGlass.create({ data: { patientId: "p1", id: "bg-er", userId: er.userId, facilityId: "fE", reason: "UNCONSCIOUS", startedAt: new Date(Date.now() - 60_000), expiresAt: new Date(Date.now() + 3_600_000) } });
  // fB: a recent visit and a diagnosis, so it is on every reader's map (the emergency dataset's too); fP: psychiatric care only; fN: no record at all
  const recent = new Date(Date.now() - 5 * 86_400_000);
  await db.encounter.create({ data: { patientId: "p1", facilityId: "fB", id: "enc-b", occurredAt: recent, class: "OUTPATIENT", department: "内科" } });
  await db.condition.create({ data: { patientId: "p1", facilityId: "fB", id: "dx-b", occurredAt: recent, codeSystem: "urn:oid:1.2.392.200119.4.101.2", code: "20054", display: "高血圧症" } });
  await db.condition.create({ data: { patientId: "p1", facilityId: "fP", id: "dx-p", occurredAt: recent, codeSystem: "urn:oid:1.2.392.200119.4.101.2", code: "20099", display: "うつ病", sensitivity: "PSYCHIATRIC" } });
  const contacts = (facilityId: string, prefix: string, list: Contact[]) =>
    db.patientContact.createMany({ data: list.map((c, i) => ({ patientId: "p1", id: `${prefix}-${i}`, facilityId, position: i + 1, ...c })) });
  await contacts("fB", "ct-b", FB_CONTACTS);
  await contacts("fN", "ct-n", [{ kind: "PHONE", code: "PRN", phone: "099-NOREC" }, { kind: "INSURANCE", code: "C0", insurerNumber: "99999999", insuredRelation: "SEL" }]);
  await contacts("fP", "ct-p", [{ kind: "PHONE", code: "PRN", phone: "099-PSYCH" }, { kind: "INSURANCE", code: "C0", insurerNumber: "88888888", insuredRelation: "SEL" }]);
});
afterAll(async () => ctx?.close());

/** The first page of $everything as the FHIR API reads it (no purpose stated: a consent or the reader's own grant). */
const head = async (actor: Actor, types?: string) => (await getExportPage(actor, "p1", { _count: "50", ...(types ? { _type: types } : {}) }, "UNSTATED")).resources;
const patientOf = (rs: Resource[]) => rs.find((r) => r.resourceType === "Patient")! as Resource & { telecom?: { system: string; value: string; use?: string }[]; contact?: { relationship: { coding?: { code: string }[]; text?: string }[]; name?: { text: string }; telecom?: { value: string }[] }[] };
const coverages = (rs: Resource[]) => rs.filter((r) => r.resourceType === "Coverage");
const numbers = (p: ReturnType<typeof patientOf>) => [...(p.telecom ?? []).map((t) => t.value), ...(p.contact ?? []).flatMap((c) => (c.telecom ?? []).map((t) => t.value))].sort();

describe("registered contacts in the FHIR export", () => {
  it("a doctor's export: the patient's numbers as telecom, the spouse and the emergency number as contacts, each insurance a Coverage", async () => {
    const rs = await head(doctorA);
    const p = patientOf(rs);
    expect(p.telecom).toEqual([
      { system: "phone", value: "054-000-0001", use: "home" },
      { system: "phone", value: "054-000-0002", use: "work" },
    ]);
    expect(p.contact).toEqual([
      { relationship: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0131", code: "C", display: "Emergency Contact" }], text: "緊急連絡先" }], telecom: [{ system: "phone", value: "090-0000-0003" }] },
      {
        extension: [{ url: "http://hl7.org/fhir/5.0/StructureDefinition/extension-Patient.contact.additionalName", valueHumanName: { extension: [{ url: "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", valueCode: "SYL" }], text: "ヤマダ ハナコ", family: "ヤマダ", given: ["ハナコ"] } }],
        relationship: [
          { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0131", code: "N", display: "Next-of-Kin" }] },
          { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0063", code: "SPO", display: "配偶者" }], text: "配偶者" },
        ],
        name: { extension: [{ url: "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", valueCode: "IDE" }], text: "山田 花子", family: "山田", given: ["花子"] },
        telecom: [
          { system: "phone", value: "090-1111-2222", use: "home" },
          { system: "phone", value: "03-3333-4444", use: "work" },
        ],
        address: { use: "home", text: "静岡県静岡市葵区追手町1-1", postalCode: "420-0001" },
      },
    ]);
    expect(coverages(rs)).toEqual([
      expect.objectContaining({
        resourceType: "Coverage",
        id: "ct-b-5",
        meta: { profile: ["http://jpfhir.jp/fhir/core/StructureDefinition/JP_Coverage"] },
        status: "active",
        type: { text: "国民健康保険（C0）" },
        beneficiary: { reference: "Patient/p1" },
        relationship: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/subscriber-relationship", code: "self" }], text: "本人" },
        period: { start: "2024-04-01" },
        payor: [{ type: "Organization", identifier: { system: "urn:oid:1.2.392.100495.20.3.61", value: "06221180" } }],
        extension: [{ url: "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber", valueIdentifier: { system: "http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no", value: "2213000002" } }],
      }),
      expect.objectContaining({ id: COVERAGE_ID, relationship: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/subscriber-relationship", code: "spouse" }], text: "家族（配偶者）" }, period: { start: "2020-04-01", end: "2024-03-31" } }),
    ]);
    // the Patient first, then the Coverages, then the records
    expect(rs.slice(0, 3).map((r) => r.resourceType)).toEqual(["Patient", "Coverage", "Coverage"]);
  });

  it("a pharmacist's lacks the family contacts but has the patient's numbers and the Coverages", async () => {
    const rs = await head(pharmacistA);
    const p = patientOf(rs);
    expect(p.telecom!.map((t) => t.value)).toEqual(["054-000-0001", "054-000-0002"]);
    // the emergency number is the patient's own PID-13, which the 統合ビュー shows a pharmacist too; no NK1 person
    expect(p.contact).toHaveLength(1);
    expect(JSON.stringify(p)).not.toMatch(/山田 花子|ヤマダ ハナコ|090-1111-2222|追手町/);
    expect(coverages(rs).map((c) => c.id)).toEqual(["ct-b-5", COVERAGE_ID]);
  });

  it("under an emergency-only consent and under break-glass: no telecom, no contact, no Coverage", async () => {
    for (const actor of [doctorD, er]) {
      const rs = await head(actor);
      const p = patientOf(rs);
      expect([actor.profession, p.telecom, p.contact, coverages(rs)]).toEqual([actor.profession, undefined, undefined, []]);
      expect(await getPatientResource(actor, "p1")).not.toHaveProperty("telecom");
    }
    // and asked for by name: an empty answer, as for a kind the scope never shows
    expect(await head(doctorD, "Coverage")).toEqual([]);
    expect(await head(er, "Coverage")).toEqual([]);
  });

  it("gives each reader exactly the numbers the 統合ビュー shows them: none from a facility with no visible record (fN) or only withheld ones (fP)", async () => {
    for (const actor of [doctorA, pharmacistA]) {
      const view = await getPatientView(actor, "p1");
      const shown = Object.values(view.summary.contacts).flat();
      expect(Object.keys(view.summary.contacts)).toEqual(["fB"]);
      const viewNumbers = [...new Set(shown.flatMap((c) => [c.phone, c.workPhone]).filter((n): n is string => !!n))].sort();
      expect(numbers(patientOf(await head(actor)))).toEqual(viewNumbers);
      expect(JSON.stringify(await head(actor))).not.toMatch(/099-|99999999|88888888/);
    }
  });

  it("the Patient read alone (GET Patient/{id}) carries the same telecom and contacts; _type=Coverage gives the Coverages alone", async () => {
    expect(await getPatientResource(doctorA, "p1")).toEqual(patientOf(await head(doctorA)));
    expect((await head(doctorA, "Coverage")).map((r) => `${r.resourceType}/${r.id}`)).toEqual(["Coverage/ct-b-5", `Coverage/${COVERAGE_ID}`]);
    expect((await head(doctorA, "Condition")).some((r) => r.resourceType === "Coverage" || r.resourceType === "Patient")).toBe(false);
  });

  it("GET Coverage/{id} reads it (audited as a read) for a doctor and a pharmacist; under an emergency-only consent it is the 404 of an unknown id", async () => {
    const read = async (actor: Actor, id: string) => readResource({ authorization: `Bearer ${(await issueApiToken(actor)).token}`, type: "Coverage", id, base: BASE });
    for (const actor of [doctorA, pharmacistA]) {
      expect(await read(actor, COVERAGE_ID)).toMatchObject({ status: 200, body: { resourceType: "Coverage", id: COVERAGE_ID, payor: [{ identifier: { value: "01220012" } }] } });
      expect(await db.auditEvent.findFirstOrThrow({ where: { actorId: actor.userId, patientId: "p1", action: "RECORD_VIEW" }, orderBy: { seq: "desc" } })).toMatchObject({ outcome: "ALLOW", detail: { what: "fhir-read", type: "Coverage", id: COVERAGE_ID } });
    }
    const notFound = (id: string) => ({ status: 404, body: { resourceType: "OperationOutcome", issue: [{ code: "not-found", diagnostics: `Coverage/${id} was not found, or this user may not read it.` }] } });
    expect(await read(doctorD, COVERAGE_ID)).toMatchObject(notFound(COVERAGE_ID));
    // the insurance of a facility the reader is not shown, a telephone's row and an unknown id: the same 404
    expect(await read(doctorA, "ct-n-1")).toMatchObject(notFound("ct-n-1"));
    expect(await read(doctorA, "ct-b-0")).toMatchObject(notFound("ct-b-0"));
    expect(await read(doctorA, "no-such")).toMatchObject(notFound("no-such"));
  });

  it("is valid: the doctor's export breaks no invariant of the packages (the Patient as JP_Patient_eCS, the Coverages as JP_Coverage_eCS_insurance)", async () => {
    const profiles = loadProfiles(path.resolve(import.meta.dirname, "../../shared/fhir-packages"));
    const bundle = asEcs(writeBundle({ id: "t", patientId: "p1", timestamp: new Date() }, await head(doctorA)));
    for (const e of bundle.entry) {
      if (e.resource.resourceType === "Coverage") (e.resource.meta as { profile: string[] }).profile = ["http://jpfhir.jp/fhir/ePrescription/StructureDefinition/JP_Coverage_eCS_insurance"];
    }
    expect(checkInvariants(bundle, profiles)).toEqual([]);
  });
});

describe("writing what an ADT-00 registered (pure)", () => {
  const none: Omit<Hl7Contact, "kind"> = { code: null, text: null, name: null, nameKana: null, phone: null, workPhone: null, address: null, insurerNumber: null, insuredRelation: null, validFrom: null, validTo: null };
  const row = (c: Partial<Hl7Contact> & Pick<Hl7Contact, "kind">): Hl7Contact => ({ ...none, ...c });

  it("a pager is no phone, a number two facilities registered is written once, an answering service has no use", () => {
    const { telecom } = writeTelecomAndContacts([
      row({ kind: "PHONE", code: "PRN", phone: "054-1" }),
      row({ kind: "PHONE", code: "PRN", phone: "054-1" }),
      row({ kind: "PHONE", code: "BPN", phone: "0120-2" }),
      row({ kind: "PHONE", code: "ASN", phone: "054-3" }),
    ]);
    expect(telecom).toEqual([{ system: "phone", value: "054-1", use: "home" }, { system: "pager", value: "0120-2" }, { system: "phone", value: "054-3" }]);
  });

  it("an employer is role E, a friend an emergency contact; a kana-only name is the name; an address without 〒 is text; a contact with nothing to reach is left out (pat-1)", () => {
    const { contact } = writeTelecomAndContacts([
      row({ kind: "NEXT_OF_KIN", code: "EMR", name: "株式会社つなぐ", phone: "03-1" }),
      row({ kind: "NEXT_OF_KIN", code: "FND", nameKana: "スズキ", address: "静岡市" }),
      row({ kind: "NEXT_OF_KIN", code: "SPO" }),
    ]);
    expect(contact).toEqual([
      { relationship: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0131", code: "E", display: "Employer" }] }, { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0063", code: "EMR", display: "雇用主" }], text: "雇用主" }], name: { extension: [{ url: "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", valueCode: "IDE" }], text: "株式会社つなぐ" }, telecom: [{ system: "phone", value: "03-1", use: "home" }] },
      { relationship: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0131", code: "C", display: "Emergency Contact" }] }, { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v2-0063", code: "FND", display: "友人" }], text: "友人" }], name: { extension: [{ url: "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation", valueCode: "SYL" }], text: "スズキ" }, address: { use: "home", text: "静岡市" } },
    ]);
  });

  it("a Coverage without a 保険者番号 is paid by the patient; the sender's words 本人 are self; an unknown relation is family, uncoded", () => {
    const cov = (c: Partial<Hl7Contact>) => writeCoverage({ ...row({ kind: "INSURANCE", ...c }), id: "cv", patientId: "p1", facilityCode: null });
    expect(cov({ code: "Z0", text: "自費" })).toMatchObject({ payor: [{ reference: "Patient/p1" }], type: { text: "自費（Z0）" } });
    expect(cov({ insurerNumber: "06221180", insuredRelation: "本人" }).relationship).toEqual({ coding: [{ system: "http://terminology.hl7.org/CodeSystem/subscriber-relationship", code: "self" }], text: "本人" });
    expect(cov({ insurerNumber: "06221180", insuredRelation: "XYZ" }).relationship).toEqual({ text: "家族（XYZ）" });
    expect(cov({ insurerNumber: "06221180", insuredRelation: "GRP" }).relationship).toEqual({ coding: [{ system: "http://terminology.hl7.org/CodeSystem/subscriber-relationship", code: "other" }], text: "家族（祖父母）" });
  });
});
