// Integration test of the demo seed against a real embedded PGlite in a fresh temporary directory.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../lib/db/client";

// must be set before lib/db reads the environment (hence the dynamic imports below)
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsunagu-seed-test-"));
process.env.PGLITE_DIR = dir;
process.env.DATABASE_URL = "";
process.env.TSUNAGU_MIGRATION_DATABASE_URL = "";

const NOW = new Date("2026-11-25T00:00:00Z");
const DAY = 86_400_000;
const CHECKUP_SYSTEM = "urn:oid:1.2.392.200119.6.1005";

let db: Db;
let closeDb: () => Promise<void>;
let seed: typeof import("../prisma/seed/index").seed;

async function counts(): Promise<Record<string, number>> {
  return {
    facility: await db.facility.count(),
    user: await db.user.count(),
    patient: await db.patient.count(),
    link: await db.patientLink.count(),
    consent: await db.consent.count(),
    encounter: await db.encounter.count(),
    condition: await db.condition.count(),
    prescription: await db.prescription.count(),
    prescriptionItem: await db.prescriptionItem.count(),
    labResult: await db.labResult.count(),
    checkup: await db.checkup.count(),
    checkupItem: await db.checkupItem.count(),
    allergy: await db.allergy.count(),
    procedure: await db.procedure.count(),
    document: await db.document.count(),
  };
}

/** prescriptions of a patient whose supply covers NOW, with their items */
async function currentRx(patientId: string) {
  const rx = await db.prescription.findMany({ where: { patientId, occurredAt: { gte: new Date(NOW.getTime() - 60 * DAY) } }, include: { items: true } });
  return rx.filter((r) => r.status !== "STOPPED" && r.items.some((i) => !i.asNeeded && r.occurredAt.getTime() + (i.days ?? 0) * DAY > NOW.getTime()));
}

beforeAll(async () => {
  const { openAdapter } = await import("../lib/db/adapter");
  const { applyMigrations } = await import("../lib/db/migrate");
  const adapter = await openAdapter();
  try {
    await applyMigrations(adapter.migrationFactory);
  } finally {
    await adapter.close();
  }
  const client = await import("../lib/db/client");
  db = await client.getDb();
  closeDb = client.closeDb;
  seed = (await import("../prisma/seed/index")).seed;
}, 120_000);

afterAll(async () => {
  await closeDb?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("demo seed", () => {
  it("is idempotent: a second run inserts and changes nothing", async () => {
    const first = await seed(db, { patients: 30, now: NOW });
    const after1 = await counts();
    const fingerprint = async () =>
      JSON.stringify(await db.prescription.findMany({ where: { patientId: "pat-0001" }, orderBy: { id: "asc" }, select: { id: true, status: true, occurredAt: true } }));
    const fp1 = await fingerprint();
    const second = await seed(db, { patients: 30, now: NOW });
    expect(second).toEqual(first);
    expect(await counts()).toEqual(after1);
    expect(await fingerprint()).toBe(fp1);
    expect(after1.patient).toBe(31); // 30, and the JP-CLINS examples' patient pat-9001
    expect(first.records).toBeGreaterThan(1000);
  }, 120_000);

  it("builds the demo network: facility kinds and roles, every profession, one unverified doctor", async () => {
    const facilities = await db.facility.findMany();
    expect(facilities.length).toBeGreaterThanOrEqual(8);
    expect(new Set(facilities.map((f) => f.kind))).toEqual(new Set(["HOSPITAL", "CLINIC", "DENTAL_CLINIC", "PHARMACY", "CARE_FACILITY"]));
    // every facility has what its administration page shows: a contact and the day it joined
    for (const f of facilities) expect(f).toMatchObject({ contactName: expect.any(String), contactEmail: expect.stringContaining("@"), joinedOn: expect.any(Date) });
    expect(facilities.some((f) => f.discloses && f.views)).toBe(true);
    expect(facilities.find((f) => f.id === "fac-05")).toMatchObject({ discloses: false, views: true });
    expect(facilities.find((f) => f.id === "fac-09")?.status).toBe("SUSPENDED");
    expect(facilities.filter((f) => f.canBreakGlass).map((f) => f.id).sort()).toEqual(["fac-01", "fac-02"]);
    for (const f of facilities) expect(f.code).toMatch(/^\d{10}$/);

    const users = await db.user.findMany({ select: { id: true, loginId: true, profession: true, facilityId: true, credentialVerifiedAt: true, passwordHash: true, mustChangePassword: true } });
    for (const p of ["DOCTOR", "DENTIST", "PHARMACIST", "NURSE", "EMERGENCY", "CLERK", "ADMIN"]) expect(users.some((u) => u.profession === p)).toBe(true);
    for (let n = 1; n <= 8; n++) expect(users.some((u) => u.profession === "CLERK" && u.facilityId === `fac-0${n}`)).toBe(true);
    expect(users.filter((u) => u.credentialVerifiedAt === null).map((u) => u.loginId)).toEqual(["doctor-unverified"]);
    expect(users.find((u) => u.loginId === "doctor9")?.facilityId).toBe("fac-09");
    // one clinic has its own 施設管理者, who manages みなみ内科クリニック's accounts only
    const facilityAdmins = await db.user.findMany({ where: { facilityAdministrator: true }, select: { loginId: true, facilityId: true, profession: true, facility: { select: { kind: true } } } });
    expect(facilityAdmins).toEqual([{ loginId: "facadmin3", facilityId: "fac-03", profession: "CLERK", facility: { kind: "CLINIC" } }]);
    const { verify } = await import("@node-rs/argon2");
    const doctor1 = users.find((u) => u.loginId === "doctor1");
    expect(doctor1?.mustChangePassword).toBe(false);
    expect(await verify(doctor1?.passwordHash ?? "", "Tsunagu-demo-2026")).toBe(true);
  }, 60_000);

  it("pat-0001 山田 太郎: ten years across facilities, consent at three of them", async () => {
    const p = await db.patient.findUnique({ where: { id: "pat-0001" } });
    expect(p).toMatchObject({ familyName: "山田", givenName: "太郎", familyNameKana: "ヤマダ", givenNameKana: "タロウ", sex: "MALE", insurerNumber: "39221010" });
    expect(p?.birthDate.toISOString().slice(0, 10)).toBe("1958-04-12");
    const links = await db.patientLink.findMany({ where: { patientId: "pat-0001" } });
    expect(links.map((l) => l.facilityId).sort()).toEqual(["fac-01", "fac-02", "fac-03", "fac-06"]);
    const consents = await db.consent.findMany({ where: { patientId: "pat-0001" } });
    expect(consents.filter((c) => c.status === "ACTIVE" && c.scope === "FULL").map((c) => c.facilityId).sort()).toEqual(["fac-01", "fac-03", "fac-06"]);
    expect(consents.every((c) => c.method === "WRITTEN" && c.identityVerification === "MYNUMBER_CARD")).toBe(true);
    expect(consents.find((c) => c.facilityId === "fac-01")?.capturedById).toBe("usr-clerk1");
    // the hospital's patient master: his telephones, his wife and son to call, and his insurance
    const contacts = await db.patientContact.findMany({ where: { patientId: "pat-0001" }, orderBy: { position: "asc" } });
    expect(contacts.map((c) => [c.facilityId, c.kind, c.code, c.name])).toEqual([
      ["fac-02", "PHONE", "PRN", null],
      ["fac-02", "PHONE", "EMR", null],
      ["fac-02", "NEXT_OF_KIN", "SPO", "山田 花子"],
      ["fac-02", "NEXT_OF_KIN", "CHD", "山田 健一"],
      ["fac-02", "INSURANCE", "39", null],
    ]);

    const conditions = await db.condition.findMany({ where: { patientId: "pat-0001" } });
    const cond = (display: string) => conditions.find((c) => c.display === display);
    expect(cond("2型糖尿病")).toMatchObject({ major: true, endedAt: null, icd10: "E11.9", codeSystem: "urn:oid:1.2.392.200119.4.101.6" });
    expect(cond("本態性高血圧症")?.endedAt).toBeNull();
    expect(cond("脂質異常症")?.endedAt).toBeNull();
    expect(cond("急性気管支炎")).toMatchObject({ outcome: "CURED" });
    expect(cond("急性気管支炎")?.endedAt).not.toBeNull();
    expect(cond("狭心症")).toMatchObject({ suspected: true });
    expect(cond("B型慢性肝炎")).toMatchObject({ infection: true, sensitivity: "INFECTIOUS", icd10: "B18.1" });

    const hba1c = await db.labResult.findMany({ where: { patientId: "pat-0001", code: "3D046000001906202" }, orderBy: { occurredAt: "asc" } });
    expect(new Set(hba1c.map((l) => l.facilityId))).toEqual(new Set(["fac-01", "fac-03"]));
    expect(hba1c.length).toBeGreaterThan(40);
    const latestClinic = hba1c.filter((l) => l.facilityId === "fac-03").at(-1);
    expect(Math.round((NOW.getTime() - (latestClinic?.occurredAt.getTime() ?? 0)) / DAY)).toBe(12);
    expect(hba1c.every((l) => l.flag === (l.valueNumeric! > 6.2 ? "H" : l.valueNumeric! < 4.6 ? "L" : "N"))).toBe(true);
    expect(await db.labResult.count({ where: { patientId: "pat-0001", code: "8A065000002391901" } })).toBeGreaterThan(10);
    expect(await db.labResult.count({ where: { patientId: "pat-0001", code: "3F077000002327101" } })).toBeGreaterThan(10);

    const checkups = await db.checkup.findMany({ where: { patientId: "pat-0001" }, include: { items: true } });
    expect(checkups.length).toBe(10);
    expect(checkups.every((c) => c.facilityId === "fac-03" && c.programme === "特定健診" && c.items.length === 16)).toBe(true);
    expect(checkups.every((c) => c.items.every((i) => i.codeSystem === CHECKUP_SYSTEM && i.patientId === "pat-0001"))).toBe(true);
    expect(checkups.some((c) => c.items.some((i) => i.flag === "H"))).toBe(true);

    const current = await currentRx("pat-0001");
    const issued = current.filter((r) => r.kind === "PRESCRIPTION");
    expect(new Set(issued.map((r) => r.facilityId))).toEqual(new Set(["fac-01", "fac-03"]));
    for (const r of issued) {
      expect(NOW.getTime() - r.occurredAt.getTime()).toBeLessThan(28 * DAY);
      for (const i of r.items.filter((x) => !x.asNeeded)) expect(i.days).toBeGreaterThanOrEqual(28);
      for (const i of r.items.filter((x) => !x.asNeeded)) expect(i.days).toBeLessThanOrEqual(56);
    }
    expect(current.filter((r) => r.kind === "DISPENSE").every((r) => r.facilityId === "fac-06")).toBe(true);
    expect(current.filter((r) => r.kind === "DISPENSE").length).toBe(issued.length);

    const allergies = await db.allergy.findMany({ where: { patientId: "pat-0001" } });
    expect(allergies.find((a) => a.kind === "DRUG")).toMatchObject({ display: "ペニシリン系抗菌薬", severity: "SEVERE" });
    expect(allergies.find((a) => a.kind === "DRUG")?.reaction).toContain("アナフィラキシー");
    expect(allergies.find((a) => a.kind === "FOOD")).toMatchObject({ display: "そば", severity: "MODERATE" });
    expect(allergies.find((a) => a.kind === "CONTRAINDICATION")?.display).toContain("造影剤");

    const admission = await db.encounter.findFirst({ where: { patientId: "pat-0001", class: "INPATIENT", facilityId: "fac-02" } });
    expect(admission?.endedAt).not.toBeNull();
    const ago = (NOW.getTime() - admission!.occurredAt.getTime()) / DAY;
    expect(ago).toBeGreaterThan(700);
    expect(ago).toBeLessThan(760);
    const procs = await db.procedure.findMany({ where: { patientId: "pat-0001", facilityId: "fac-02" } });
    expect(procs.map((x) => x.kind).sort()).toEqual(["ANESTHESIA", "SURGERY", "TRANSFUSION"]);
    expect(procs.find((x) => x.kind === "SURGERY")).toMatchObject({ code: "K672-2", display: "腹腔鏡下胆嚢摘出術" });

    const docs = await db.document.findMany({ where: { patientId: "pat-0001" } });
    expect(docs.some((d) => d.kind === "DISCHARGE_SUMMARY" && d.facilityId === "fac-02")).toBe(true);
    const referral = docs.find((d) => d.kind === "REFERRAL" && d.facilityId === "fac-03");
    expect(referral?.recipient).toContain("つなぐ中央病院");
    expect(referral?.authorName).toBe("南 雅之");
    expect(referral?.body.split("\n").length).toBeGreaterThan(5);
    expect(Math.round((NOW.getTime() - referral!.occurredAt.getTime()) / DAY)).toBe(365);
    expect(docs.some((d) => d.kind === "IMAGING_REPORT")).toBe(true);

    const total = (await Promise.all([
      db.encounter.count({ where: { patientId: "pat-0001" } }), db.condition.count({ where: { patientId: "pat-0001" } }),
      db.prescription.count({ where: { patientId: "pat-0001" } }), db.labResult.count({ where: { patientId: "pat-0001" } }),
      db.checkup.count({ where: { patientId: "pat-0001" } }), db.allergy.count({ where: { patientId: "pat-0001" } }),
      db.procedure.count({ where: { patientId: "pat-0001" } }), db.document.count({ where: { patientId: "pat-0001" } }),
    ])).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    expect(total).toBeLessThanOrEqual(700);
  }, 60_000);

  it("pat-0002 佐藤 花子: the same ingredient from two prescribers, and an NSAID despite an NSAID allergy", async () => {
    const consents = await db.consent.findMany({ where: { patientId: "pat-0002", status: "ACTIVE", scope: "FULL" } });
    expect(consents.map((c) => c.facilityId).sort()).toEqual(["fac-01", "fac-03", "fac-06", "fac-07"]);
    expect(consents.find((c) => c.facilityId === "fac-03")?.withheldCategories).toEqual(["PSYCHIATRIC"]);

    const current = await currentRx("pat-0002");
    const issued = current.filter((r) => r.kind === "PRESCRIPTION");
    const yjOf = (fac: string) => issued.filter((r) => r.facilityId === fac).flatMap((r) => r.items.map((i) => i.yjCode ?? ""));
    const shared = yjOf("fac-01").filter((a) => yjOf("fac-03").some((b) => b !== a && b.slice(0, 7) === a.slice(0, 7)));
    expect(shared.length).toBeGreaterThan(0);
    const dispensedAt = new Set(current.filter((r) => r.kind === "DISPENSE").map((r) => r.facilityId));
    expect(dispensedAt).toEqual(new Set(["fac-06", "fac-07"]));

    const allergy = await db.allergy.findFirst({ where: { patientId: "pat-0002", kind: "DRUG" } });
    expect(allergy?.display).toContain("NSAIDs");
    const { DRUG_BY_YJ } = await import("../lib/terminology/drugs");
    expect(issued.some((r) => r.items.some((i) => DRUG_BY_YJ.get(i.yjCode ?? "")?.allergyGroup === "NSAIDS"))).toBe(true);

    expect(await db.condition.count({ where: { patientId: "pat-0002", sensitivity: "PSYCHIATRIC" } })).toBeGreaterThan(0);
    expect(issued.some((r) => r.sensitivity === "PSYCHIATRIC")).toBe(true);
  }, 60_000);

  it("pat-0003 has no consent but a full record; pat-0004 an emergency consent; pat-0005 a withdrawn one", async () => {
    expect(await db.consent.count({ where: { patientId: "pat-0003" } })).toBe(0);
    const facs = await db.encounter.findMany({ where: { patientId: "pat-0003" }, distinct: ["facilityId"], select: { facilityId: true } });
    expect(facs.map((f) => f.facilityId).sort()).toEqual(["fac-02", "fac-04"]);
    expect(await db.allergy.count({ where: { patientId: "pat-0003" } })).toBeGreaterThan(0);
    expect((await currentRx("pat-0003")).length).toBeGreaterThan(0);
    expect(await db.procedure.count({ where: { patientId: "pat-0003", kind: { in: ["DIALYSIS", "IMPLANT"] } } })).toBeGreaterThan(0);
    expect(await db.document.count({ where: { patientId: "pat-0003", kind: "DISCHARGE_SUMMARY" } })).toBe(1);

    const c4 = await db.consent.findMany({ where: { patientId: "pat-0004" } });
    expect(c4.map((c) => [c.facilityId, c.scope, c.status])).toEqual([["fac-01", "EMERGENCY", "ACTIVE"]]);
    expect(await db.encounter.count({ where: { patientId: "pat-0004" } })).toBeGreaterThan(10);

    const c5 = await db.consent.findMany({ where: { patientId: "pat-0005" } });
    const withdrawn = c5.find((c) => c.facilityId === "fac-01");
    expect(withdrawn).toMatchObject({ status: "WITHDRAWN", withdrawnById: "usr-clerk1" });
    expect(Math.round((NOW.getTime() - withdrawn!.capturedAt.getTime()) / DAY)).toBe(730);
    expect(Math.round((NOW.getTime() - withdrawn!.withdrawnAt!.getTime()) / DAY)).toBe(90);
    expect(c5.find((c) => c.facilityId === "fac-03")).toMatchObject({ status: "ACTIVE", scope: "FULL" });
  }, 60_000);

  it("generated patients: consent variety and clinical rows keyed by patient", async () => {
    const consents = await db.consent.findMany({ where: { patientId: { gt: "pat-0005" } } });
    expect(consents.some((c) => c.status === "WITHDRAWN" && c.withdrawnAt && c.withdrawnById)).toBe(true);
    expect(consents.some((c) => c.scope === "EMERGENCY")).toBe(true);
    const items = await db.prescriptionItem.findMany({ take: 50, include: { prescription: true } });
    expect(items.every((i) => i.prescription.patientId === i.patientId)).toBe(true);
    const noFuture = await db.encounter.count({ where: { occurredAt: { gt: NOW } } });
    expect(noFuture).toBe(0);
  }, 60_000);

  it("seeds the default 200 patients and the JP-CLINS examples' patient, some with a 特定健診 on the national item codes", async () => {
    // how long it takes is the bench's to say; the test's time limit only catches a seed gone astray
    const r = await seed(db, { now: NOW });
    expect(r.patients).toBe(201);
    expect(await db.patient.count()).toBe(201);
    expect(await db.checkupItem.count({ where: { codeSystem: CHECKUP_SYSTEM, patientId: { gt: "pat-0005" } } })).toBeGreaterThan(0);
    expect(await db.checkup.count({ where: { programme: "特定健診", patientId: { gt: "pat-0005" } } })).toBeGreaterThan(0);
    const ids = (await db.patient.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((p) => p.id);
    expect(ids[0]).toBe("pat-0001");
    expect(ids.at(-2)).toBe("pat-0200");
    expect(ids.at(-1)).toBe("pat-9001");
  }, 120_000);
});

describe("seed code", () => {
  it("is deterministic and never uses Math.random", async () => {
    const { buildPatients } = await import("../prisma/seed/patients");
    expect(JSON.stringify(buildPatients(NOW, 12))).toBe(JSON.stringify(buildPatients(NOW, 12)));
    const seedDir = fileURLToPath(new URL("../prisma/seed/", import.meta.url));
    for (const f of fs.readdirSync(seedDir)) expect(fs.readFileSync(path.join(seedDir, f), "utf8")).not.toMatch(/Math\.random\s*\(/);
  });
});
