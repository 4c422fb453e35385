import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import { testActor } from "./helpers/actor";
import type { Actor } from "../lib/auth/actor";
import type { Db } from "../lib/db/client";
import { AccessDeniedError, PatientNotFoundError, InvalidInputError, getPatientView, getTimelinePage, searchPatients, type TimelineEntry } from "../lib/record";
import { verifyChain } from "../lib/audit";
import { SEARCH_LIMIT } from "../lib/record/search";

/**
 * lib/record against the real database with a small hand-made network, so every expectation below
 * is exact: who sees which patient, which rows, and that each read left an audit row.
 */
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;

const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000);


const actorAt = (facilityId: string, profession: Actor["profession"]) => testActor(facilityId, profession, { name: `u-${facilityId}-${profession}` });
const doctorA = actorAt("fA", "DOCTOR");
const doctorB = actorAt("fB", "DOCTOR");
const pharmacistA = actorAt("fA", "PHARMACIST");

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  for (const id of ["fA", "fB"]) {
    await db.facility.create({ data: { id, code: id === "fA" ? "2210000001" : "2210000002", name: `施設${id}`, kind: "HOSPITAL" } });
  }
  for (const a of [doctorA, doctorB, pharmacistA]) {
    await db.user.create({ data: { id: a.userId, loginId: a.userId, name: a.name, profession: a.profession, facilityId: a.facilityId, passwordHash: "x", credentialVerifiedAt: day(0) } });
  }
  const patient = (id: string, kana: [string, string], name: [string, string]) =>
    db.patient.create({ data: { id, familyName: name[0], givenName: name[1], familyNameKana: kana[0], givenNameKana: kana[1], sex: "FEMALE", birthDate: new Date("1950-02-03") } });
  await patient("p1", ["ヤマダ", "ハナ"], ["山田", "花"]);
  await patient("p2", ["ヤマダ", "ユキ"], ["山田", "雪"]);
  await patient("p3", ["ヤマダ", "ミオ"], ["山田", "澪"]);
  // p1: full consent at fA, withholding psychiatric records. p2: no consent at fA but fA's own patient.
  // p3: emergency-only consent at fB.
  await db.consent.create({ data: { patientId: "p1", id: "c1", facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", withheldCategories: ["PSYCHIATRIC"], capturedById: doctorA.userId } });
  await db.patientLink.create({ data: { patientId: "p2", id: "l1", facilityId: "fA", localPatientId: "A-0002" } });
  await db.consent.create({ data: { patientId: "p3", id: "c3", facilityId: "fB", scope: "EMERGENCY", method: "WRITTEN", identityVerification: "INSURANCE_CARD", capturedById: doctorB.userId } });

  // p1's record: 30 labs on 10 days (ties in time), conditions (one psychiatric), a document, a prescription.
  for (let i = 0; i < 30; i++) {
    await db.labResult.create({ data: { patientId: "p1", id: `lab-${String(i).padStart(2, "0")}`, facilityId: i % 2 ? "fA" : "fB", occurredAt: day(i % 10), codeSystem: "JLAC10", code: "3D046000001906202", display: "HbA1c", valueNumeric: 6 + i / 10, unit: "%" } });
  }
  await db.condition.create({ data: { patientId: "p1", id: "cond-dm", facilityId: "fA", occurredAt: day(3), codeSystem: "MEDIS", code: "8846", display: "2型糖尿病" } });
  await db.condition.create({ data: { patientId: "p1", id: "cond-dep", facilityId: "fB", occurredAt: day(4), codeSystem: "MEDIS", code: "X001", display: "うつ病", icd10: "F32.9", sensitivity: "PSYCHIATRIC" } });
  await db.document.create({ data: { patientId: "p1", id: "doc-1", facilityId: "fB", occurredAt: day(5), kind: "REFERRAL", title: "診療情報提供書", body: "本文" } });
  await db.prescription.create({
    data: { patientId: "p1", id: "rx-1", facilityId: "fA", kind: "PRESCRIPTION", occurredAt: day(5), items: { create: [{ id: "rx-1-1", codeSystem: "YJ", code: "2171022F1022", display: "アムロジピン錠5mg", days: 28 }] } },
  });
  await db.labResult.create({ data: { patientId: "p3", id: "lab-p3", facilityId: "fB", occurredAt: day(1), codeSystem: "JLAC10", code: "x", display: "Hb" } });
  await db.allergy.create({ data: { patientId: "p3", id: "alg-p3", facilityId: "fB", occurredAt: day(1), kind: "DRUG", display: "ペニシリン系" } });
});
afterAll(async () => ctx?.close());

async function wholeTimeline(actor: Actor, patientId: string, limit: number): Promise<TimelineEntry[]> {
  const first = await getPatientView(actor, patientId, { limit });
  const all = [...first.timeline.entries];
  let cursor = first.timeline.nextCursor;
  while (cursor) {
    const page = await getTimelinePage(actor, patientId, { cursor, limit });
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    all.push(...page.entries);
    cursor = page.nextCursor;
  }
  return all;
}

describe("searchPatients", () => {
  it("lists only the patients this facility may open: consented ones, not its own patients without consent, nor a count of others", async () => {
    const r = await searchPatients(doctorA, { q: "やまだ" });
    expect(r.hits.map((h) => [h.id, h.scope])).toEqual([["p1", "FULL"]]);
    expect(Object.keys(r).sort()).toEqual(["hits", "visibleCount"]); // no "others without consent" count
  });
  it("finds a name typed without the space between family and given name, in kana, hiragana or kanji", async () => {
    for (const q of ["ヤマダハナ", "やまだはな", "ﾔﾏﾀﾞﾊﾅ", "山田花", "ヤマダハ"]) {
      expect((await searchPatients(doctorA, { q })).hits.map((h) => h.id), q).toEqual(["p1"]);
    }
    // the twin: a run-together name that is nobody's finds nobody (not every ヤマダ)
    expect((await searchPatients(doctorA, { q: "ヤマダハル" })).hits).toEqual([]);
    expect((await searchPatients(doctorB, { q: "ヤマダミオ" })).hits.map((h) => h.id)).toEqual(["p3"]);
  });
  it("another facility sees only its own consented patient, with the consent's scope", async () => {
    const r = await searchPatients(doctorB, { q: "ヤマダ ミ" });
    expect(r.hits.map((h) => [h.id, h.scope])).toEqual([["p3", "EMERGENCY"]]);
  });
  it("a name and birth date that match a patient elsewhere answer exactly as one that matches nobody", async () => {
    const existing = await searchPatients(doctorB, { q: "ヤマダ ハナ", birthDate: "1950-02-03" }); // p1 exists, consented to fA only
    const nobody = await searchPatients(doctorB, { q: "ヤマダ ハナ", birthDate: "1950-02-04" });
    expect(existing).toEqual(nobody);
    expect(existing.hits).toEqual([]);
  });
  it("refuses (and audits) clerks, administrators, an unverified licence and a half-finished login; the verified doctor is the twin", async () => {
    for (const [a, reason] of [
      [actorAt("fA", "CLERK"), "PROFESSION_NOT_CLINICAL"],
      [actorAt("fA", "ADMIN"), "PROFESSION_NOT_CLINICAL"],
      [{ ...doctorA, credentialVerified: false }, "CREDENTIAL_UNVERIFIED"],
      [{ ...doctorA, mfa: false }, "LOGIN_INCOMPLETE"],
      [{ ...doctorA, mustChangePassword: true }, "LOGIN_INCOMPLETE"],
      [{ ...doctorA, facilityViews: false }, "FACILITY_NOT_VIEWER"],
    ] as const) {
      await expect(searchPatients(a, { q: "ヤマダ" })).rejects.toMatchObject({ reason });
    }
    expect(await db.auditEvent.count({ where: { action: "PATIENT_SEARCH", outcome: "DENY" } })).toBe(6);
    await expect(searchPatients(doctorA, { q: "ヤマダ" })).resolves.toMatchObject({ hits: [{ id: "p1" }] });
  });
  it("refuses a control character in the name, as the timeline's box does", async () => {
    await expect(searchPatients(doctorA, { q: "ヤマダ\u0000" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(searchPatients(doctorA, { q: "ヤマダ\u001b" })).rejects.toMatchObject({ field: "q" });
  });
  it("rejects a malformed birth date, and one that does not exist rather than rolling it over to the next month", async () => {
    await expect(searchPatients(doctorA, { birthDate: "1950-02-31x" })).rejects.toBeInstanceOf(InvalidInputError);
    // Date.parse takes both, as 03-03 and 07-01
    await expect(searchPatients(doctorA, { birthDate: "1950-02-31" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(searchPatients(doctorA, { birthDate: "1948-06-31" })).rejects.toBeInstanceOf(InvalidInputError);
    expect((await searchPatients(doctorA, { birthDate: "1950-02-03" })).hits.map((h) => h.id)).toEqual(["p1"]);
  });
  it("takes % and _ in a name literally", async () => {
    for (const q of ["%", "_", "ヤ%", "ヤマダ _"]) {
      const r = await searchPatients(doctorA, { q });
      expect(r.hits.length).toBe(0);
    }
    expect((await searchPatients(doctorA, { q: "ヤ" })).hits).toHaveLength(1);
  });
  it("a superseded consent never lists a patient the decision would refuse (the newest row is in force)", async () => {
    await db.patient.create({ data: { id: "sup", familyName: "更新", givenName: "花", familyNameKana: "コウシン", givenNameKana: "ハナ", sex: "FEMALE", birthDate: new Date("1960-01-01") } });
    const consent = (id: string, capturedAt: Date, expiresAt: Date | null) =>
      db.consent.create({ data: { patientId: "sup", id, facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorB.userId, capturedAt, expiresAt } });
    await consent("sup-old", day(1), null); // still ACTIVE, but superseded by the newer one below
    await consent("sup-new", day(2), day(3)); // the one in force, expired
    expect((await searchPatients(doctorA, { q: "コウシン" })).hits).toEqual([]);
    await expect(getPatientView(doctorA, "sup")).rejects.toMatchObject({ reason: "CONSENT_EXPIRED" });
    await consent("sup-renewed", day(4), null); // twin: renewed
    expect((await searchPatients(doctorA, { q: "コウシン" })).hits.map((h) => h.id)).toEqual(["sup"]);
  });
  it("finds a patient by the numbers on their insurance card, typed as printed or in full width, alone or with the name", async () => {
    const carded = (id: string, kana: string, insurerNumber: string, insuredSymbol: string | null, insuredNumber: string) =>
      db.patient.create({ data: { id, familyName: "保険", givenName: "証", familyNameKana: kana, givenNameKana: "ショウ", sex: "MALE", birthDate: new Date("1958-04-12"), insurerNumber, insuredSymbol, insuredNumber } });
    await carded("card-1", "ホケン", "39221010", null, "00123456");
    await carded("card-2", "ホケンニ", "06221188", "12", "40518");
    await carded("card-3", "ミドウイ", "39221010", null, "00999999"); // same insurer, no consent anywhere
    for (const id of ["card-1", "card-2"]) {
      await db.consent.create({ data: { patientId: id, id: `${id}-c`, facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "INSURANCE_CARD", capturedById: doctorA.userId } });
    }
    const ids = async (q: string, actor = doctorA) => (await searchPatients(actor, { q })).hits.map((h) => h.id);
    for (const q of ["00123456", "００１２３４５６", "0012-3456", "39221010 00123456", "00123456　39221010", "ホケン 00123456"]) expect(await ids(q), q).toEqual(["card-1"]);
    expect(await ids("12 40518")).toEqual(["card-2"]); // 記号 and 番号
    expect(await ids("06221188")).toEqual(["card-2"]); // the insurer number alone lists its consented insured
    expect(await ids("39221010")).toEqual(["card-1"]); // not card-3: no consent for fA
    // the number of the patient without consent finds nobody, exactly as a number that is nobody's
    const unconsented = await searchPatients(doctorA, { q: "00999999" });
    expect(unconsented).toEqual(await searchPatients(doctorA, { q: "00999998" }));
    expect(unconsented.hits).toEqual([]);
    // another facility does not find a patient consented to fA by number; one number wrong finds nobody
    expect(await ids("00123456", doctorB)).toEqual([]);
    expect(await ids("06221188 00123456")).toEqual([]);
    expect(await ids("ヤマダ 00123456")).toEqual([]);
    expect(await db.auditEvent.count({ where: { action: "PATIENT_SEARCH", actorId: doctorB.userId, detail: { path: ["q"], equals: "00123456" } } })).toBe(1);
  });
  it("when the list is cut at its limit, says how many it left out", async () => {
    const ids = Array.from({ length: SEARCH_LIMIT + 2 }, (_, i) => `many-${String(i).padStart(3, "0")}`);
    for (const id of ids) {
      await db.patient.create({ data: { id, familyName: "多数", givenName: "太郎", familyNameKana: "タスウ", givenNameKana: "タロウ", sex: "MALE", birthDate: new Date("1980-01-01") } });
      await db.consent.create({ data: { patientId: id, id: `${id}-c`, facilityId: "fA", scope: "FULL", method: "WRITTEN", identityVerification: "MYNUMBER_CARD", capturedById: doctorB.userId } });
    }
    try {
      const r = await searchPatients(doctorA, { q: "タスウ" });
      expect([r.hits.length, r.visibleCount]).toEqual([SEARCH_LIMIT, SEARCH_LIMIT + 2]);
    } finally {
      await db.consent.deleteMany({ where: { facilityId: "fA", patientId: { startsWith: "many-" } } });
      await db.patient.deleteMany({ where: { id: { startsWith: "many-" } } });
    }
  });
});

describe("timeline filters", () => {
  const ids = async (input: Record<string, unknown>) => (await getTimelinePage(doctorA, "p1", { limit: 200, ...input })).entries.map((e) => e.id);
  it("finds a prescription by its item's drug name, and a lab by name in any case", async () => {
    expect(await ids({ q: "アムロ" })).toEqual(["rx-1"]);
    // 30 HbA1c results, three per facility and time: ten lab panels
    expect(await ids({ q: "hba1c" })).toHaveLength(10);
  });
  it("takes the search text literally: _ and % are not wildcards", async () => {
    expect(await ids({ q: "_" })).toEqual([]);
    expect(await ids({ q: "%" })).toEqual([]);
  });
  it("never finds a withheld row by searching for it, by name or by a code in another column", async () => {
    expect(await ids({ q: "うつ" })).toEqual([]);
    expect(await ids({ q: "F32" })).toEqual([]);
    // the twin: the same search finds a diagnosis of that code that is not withheld
    await db.condition.create({ data: { patientId: "p1", id: "cond-f32-visible", facilityId: "fA", occurredAt: day(6), codeSystem: "MEDIS", code: "X002", display: "適応障害", icd10: "F32.0" } });
    try {
      expect(await ids({ q: "F32" })).toEqual(["cond-f32-visible"]);
    } finally {
      await db.condition.delete({ where: { patientId_id: { patientId: "p1", id: "cond-f32-visible" } } });
    }
  });
  it("combines free text with the facility and date filters, also when the text matches a code", async () => {
    // the lab's JLAC10 code is its second searched column
    expect(await ids({ q: "3D046", facility: "fB" })).toHaveLength(5);
    // one panel (named by its smallest id) holding the day's three results
    expect(await ids({ q: "3D046", from: "2026-01-06", to: "2026-01-06" })).toEqual(["lab-05"]);
    const panel = (await getTimelinePage(doctorA, "p1", { q: "3D046", from: "2026-01-06", to: "2026-01-06" })).entries[0]!;
    expect(panel.detail.map(([label]) => label)).toEqual(["HbA1c", "HbA1c", "HbA1c"]);
  });
  it("shows a measured value with its test's precision: HbA1c 6.0, not 6", async () => {
    const page = await getTimelinePage(doctorA, "p1", { q: "hba1c", limit: 200 });
    // the panel of lab-00, lab-10 and lab-20 (one facility, one time), each value at its precision
    expect(page.entries.find((e) => e.id === "lab-00")?.summary).toBe("HbA1c 6.0 % · HbA1c 7.0 % · HbA1c 8.0 %");
  });
  it("finds text typed in full width", async () => {
    expect(await ids({ q: "ＨｂＡ１ｃ" })).toHaveLength(10);
  });
  it("refuses impossible dates, a range that ends before it starts and control characters, naming the field", async () => {
    const field = (input: Record<string, unknown>) =>
      getTimelinePage(doctorA, "p1", input).then(
        () => "accepted",
        (e: unknown) => (e instanceof InvalidInputError ? e.field : `unexpected ${String(e)}`),
      );
    expect(await field({ from: "2024-1-1" })).toBe("from");
    expect(await field({ from: "0000-01-01" })).toBe("from");
    expect(await field({ to: "99999-01-01" })).toBe("to");
    expect(await field({ to: "2025-02-29" })).toBe("to");
    expect(await field({ from: "2025-01-01", to: "2024-01-01" })).toBe("range");
    expect(await field({ q: "a\u0000b" })).toBe("q");
    // the twins: a real leap day, a one-day range
    expect(await field({ from: "2024-02-29", to: "2024-02-29" })).toBe("accepted");
  });
  it("narrows by kind and facility, and by an inclusive date range in Japan time", async () => {
    const fB = await ids({ kinds: "lab", facility: "fB" });
    expect(fB).toHaveLength(5);
    expect(fB.every((id) => Number(id.slice(4)) % 2 === 0)).toBe(true);
    // day(5) is 2026-01-06 09:00 in Japan: three labs, the letter and the prescription
    expect((await ids({ from: "2026-01-06", to: "2026-01-06" })).sort()).toEqual(["doc-1", "lab-05", "rx-1"]);
  });
});

describe("getPatientView", () => {
  it("pages the whole timeline newest first with no row missing or repeated, across ties", async () => {
    const entries = await wholeTimeline(doctorA, "p1", 7);
    const keys = entries.map((e) => `${e.kind}:${e.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    // 10 lab panels (30 results) + 1 visible condition + document + prescription; the psychiatric diagnosis is withheld.
    expect(keys).toHaveLength(13);
    const times = entries.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it("never returns a category the patient withholds, and says that something is withheld", async () => {
    const v = await getPatientView(doctorA, "p1", { limit: 200 });
    expect(v.withheld).toEqual(["PSYCHIATRIC"]);
    expect(v.timeline.entries.map((e) => e.summary)).not.toContain("うつ病");
    expect(v.timeline.entries.map((e) => e.summary)).toContain("2型糖尿病");
  });

  it("shows a pharmacist medication and labs but not documents; a doctor sees the document", async () => {
    const ph = await getPatientView(pharmacistA, "p1", { limit: 200 });
    expect(ph.timeline.entries.some((e) => e.kind === "document")).toBe(false);
    expect(ph.timeline.entries.some((e) => e.kind === "prescription")).toBe(true);
    const dr = await getPatientView(doctorA, "p1", { limit: 200 });
    expect(dr.timeline.entries.some((e) => e.kind === "document")).toBe(true);
  });

  it("an emergency-only consent yields the emergency dataset: allergies, not labs", async () => {
    const v = await getPatientView(doctorB, "p3");
    expect(v.scope).toBe("EMERGENCY");
    expect(v.timeline.entries.map((e) => e.kind)).toEqual(["allergy"]);
  });

  it("refuses a facility without consent, audits the refusal, and allows the consented twin", async () => {
    await expect(getPatientView(doctorB, "p1")).rejects.toMatchObject({ reason: "NO_CONSENT" });
    await expect(getPatientView(doctorB, "p1")).rejects.toBeInstanceOf(AccessDeniedError);
    const denied = await db.auditEvent.findFirst({ where: { actorId: doctorB.userId, patientId: "p1" }, orderBy: { seq: "desc" } });
    expect(denied).toMatchObject({ action: "RECORD_VIEW_DENIED", outcome: "DENY" });
    await expect(getPatientView(doctorA, "p1")).resolves.toMatchObject({ scope: "FULL" });
  });

  it("writes one audit row per read, and the chain verifies", async () => {
    const before = await db.auditEvent.count({ where: { actorId: doctorA.userId, action: "RECORD_VIEW", patientId: "p1" } });
    await getPatientView(doctorA, "p1");
    expect(await db.auditEvent.count({ where: { actorId: doctorA.userId, action: "RECORD_VIEW", patientId: "p1" } })).toBe(before + 1);
    expect((await verifyChain(db)).ok).toBe(true);
  });

  it("an unknown patient is not-found; a malformed cursor is a validation error", async () => {
    await expect(getPatientView(doctorA, "nobody")).rejects.toBeInstanceOf(PatientNotFoundError);
    await expect(getTimelinePage(doctorA, "p1", { cursor: "garbage" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(getTimelinePage(doctorA, "p1", { limit: "-3" })).rejects.toBeInstanceOf(InvalidInputError);
  });
});
