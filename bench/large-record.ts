/**
 * A synthetic patient of any size for `npm run bench -- --everything-large`: a record of ≥ N FHIR
 * resources (100,000 by default), generated inside the database with INSERT … SELECT generate_series (no
 * rows cross the wire), shaped like a real one: per visit an encounter, a prescription of PLAN.drugs
 * drugs (HOT9/YJ, 用法, days) and the pharmacy's dispense that fills it, and a panel of JLAC10 lab results
 * with their units, reference ranges and flags; checkups with items, letters, procedures and conditions in
 * proportion, a few allergies. Visits spread evenly over twenty years, so a visit's results share their
 * time (the export's ties, broken by id). `largeRecordPlan` counts exactly the resources the export gives
 * for it (one per drug and per checkup item, the Patient once), so the bench can check the sum of the
 * pages against it.
 */
import { CODE_SYSTEM } from "../lib/terminology/code-systems";
import { LAB_TESTS } from "../lib/terminology/lab-tests";
import { DRUG_BY_KEY } from "../lib/terminology/drugs";
import { CHECKUP_ITEMS } from "../prisma/seed/codes";
import { ts, type SqlClient } from "./database";

/** What one visit and the record around it hold (resources, as the export counts them). */
export const PLAN = {
  /** drugs per prescription, and per dispense (each one resource: MedicationRequest, MedicationDispense) */
  drugs: 3,
  /** lab results per visit, one JLAC10 code each */
  labs: 8,
  /** one checkup (with CHECKUP_ITEMS.length items) per this many visits */
  visitsPerCheckup: 12,
  visitsPerDocument: 10,
  visitsPerProcedure: 25,
  /** one condition, plus one per this many visits */
  visitsPerCondition: 200,
  allergies: 3,
  years: 20,
} as const;

export interface LargeRecord {
  visits: number;
  checkups: number;
  documents: number;
  procedures: number;
  conditions: number;
  /** every resource of the export: the Patient and one per row (per drug, per checkup item) */
  resources: number;
}

/** The record of `visits` visits, counted as the export counts it. */
export function recordOfVisits(visits: number): LargeRecord {
  const checkups = Math.ceil(visits / PLAN.visitsPerCheckup);
  const documents = Math.floor(visits / PLAN.visitsPerDocument);
  const procedures = Math.floor(visits / PLAN.visitsPerProcedure);
  const conditions = 1 + Math.floor(visits / PLAN.visitsPerCondition);
  const perVisit = 1 + 2 * PLAN.drugs + PLAN.labs;
  const resources = 1 + visits * perVisit + checkups * CHECKUP_ITEMS.length + documents + procedures + conditions + PLAN.allergies;
  return { visits, checkups, documents, procedures, conditions, resources };
}

/** The smallest record of at least `resources` resources. */
export function largeRecordPlan(resources: number): LargeRecord {
  if (!Number.isInteger(resources) || resources < 1) throw new Error(`resources must be a positive integer, not ${resources}`);
  // a visit adds at most its own resources and a checkup's: start below the answer and step up
  let v = Math.floor(resources / (1 + 2 * PLAN.drugs + PLAN.labs + CHECKUP_ITEMS.length + 1));
  while (recordOfVisits(v).resources < resources) v++;
  return recordOfVisits(v);
}

const DRUGS = ["amlodin5", "lipitor10", "metgluco250"].map((k) => DRUG_BY_KEY.get(k)!);
const TESTS = ["hba1c", "glu", "cre", "egfr", "bun", "ua", "k", "na", "ast", "alt", "ldl", "hb"].map((k) => LAB_TESTS.find((t) => t.key === k)!);

/**
 * Inserts the patient `id` with `plan`'s record, linked to fac-01 (doctor1's facility, FULL consent),
 * fac-03 and the pharmacy fac-07. Returns the rows inserted (items included).
 */
export async function insertLargePatient(c: SqlClient, id: string, plan: LargeRecord, now: Date): Promise<number> {
  const at = ts(now);
  // visit i (1 = the latest) at an even share of twenty years before now, at a clinic hour
  const hours = Math.max(1, Math.floor((PLAN.years * 365 * 24) / Math.max(plan.visits, 1)));
  const visitAt = (i: string) => `($1::timestamp - ((${i}) * ${hours}) * interval '1 hour')`;
  const v = plan.visits;
  const statements: [string, unknown[]][] = [
    [`INSERT INTO "Patient" (id, "familyName", "givenName", "familyNameKana", "givenNameKana", sex, "birthDate", "insurerNumber", "insuredNumber", "postalCode", address)
      VALUES ($1, '大野', '百助', 'オオノ', 'モモスケ', 'MALE', DATE '1948-05-10', '39221010', $2, '420-0853', '静岡県静岡市葵区追手町9-6')`, [id, String(plan.resources)]],
    [`INSERT INTO "PatientLink" ("patientId", id, "facilityId", "localPatientId")
      SELECT $1, $1 || '-lnk-' || f, f, 'L' || right(f, 2) || '-' || $2 FROM unnest(ARRAY['fac-01','fac-03','fac-07']) f`, [id, String(plan.resources)]],
    [`INSERT INTO "Consent" ("patientId", id, "facilityId", scope, status, method, "identityVerification", "capturedById", "capturedAt")
      VALUES ($1, $1 || '-cns-01', 'fac-01', 'FULL', 'ACTIVE', 'WRITTEN', 'MYNUMBER_CARD', 'usr-clerk1', $2::timestamp - interval '3650 days')`, [id, at]],
    [`INSERT INTO "Encounter" ("patientId", id, "facilityId", "occurredAt", class, department, reason)
      SELECT $2, $2 || '-enc-' || i, CASE WHEN i % 3 = 0 THEN 'fac-03' ELSE 'fac-01' END, ${visitAt("i")}, 'OUTPATIENT', '内科', '定期受診（高血圧症、2型糖尿病）'
      FROM generate_series(1, $3::int) i`, [at, id, v]],
    [`INSERT INTO "Prescription" ("patientId", id, "facilityId", kind, "occurredAt", status, "prescriberName", department)
      SELECT $2, $2 || '-rx-' || i, CASE WHEN i % 3 = 0 THEN 'fac-03' ELSE 'fac-01' END, 'PRESCRIPTION', ${visitAt("i")}, 'COMPLETED', '担当医', '内科'
      FROM generate_series(1, $3::int) i`, [at, id, v]],
    // the pharmacy's dispense of the same drugs, an hour later, filling the prescription
    [`INSERT INTO "Prescription" ("patientId", id, "facilityId", kind, "occurredAt", status, "prescriberName", "fillsId")
      SELECT $2, $2 || '-dsp-' || i, 'fac-07', 'DISPENSE', ${visitAt("i")} + interval '1 hour', 'COMPLETED', '薬剤師', $2 || '-rx-' || i
      FROM generate_series(1, $3::int) i`, [at, id, v]],
    [`INSERT INTO "PrescriptionItem" ("patientId", id, "prescriptionId", rp, "codeSystem", code, display, "yjCode", "hotCode", dose, "doseUnit", "usageText", days)
      SELECT $1, p || '-' || j, p, j, $2, ($3::text[])[j], ($4::text[])[j], ($5::text[])[j], ($3::text[])[j], 1, '錠', '1日1回朝食後', 28
      FROM generate_series(1, $6::int) i, unnest(ARRAY['-rx-', '-dsp-']) AS k(kind), LATERAL (SELECT $1 || k.kind || i AS p) x, generate_series(1, $7::int) j`,
      [id, CODE_SYSTEM.HOT9, DRUGS.map((d) => d.hot9), DRUGS.map((d) => d.display), DRUGS.map((d) => d.yj), v, PLAN.drugs]],
    // a panel of PLAN.labs tests per visit, drawn in turn from TESTS; values wander around the range, flagged against it
    [`INSERT INTO "LabResult" ("patientId", id, "facilityId", "occurredAt", "codeSystem", code, display, "valueNumeric", unit, "refLow", "refHigh", flag)
      SELECT $2, $2 || '-lab-' || i || '-' || j, CASE WHEN i % 3 = 0 THEN 'fac-03' ELSE 'fac-01' END, ${visitAt("i")}, $3,
        t.code, t.display, round(val::numeric, 2)::float8, t.unit, t.lo, t.hi,
        CASE WHEN t.hi IS NOT NULL AND val > t.hi THEN 'H' WHEN val < t.lo THEN 'L' ELSE 'N' END
      FROM generate_series(1, $4::int) i, generate_series(1, $5::int) j,
        LATERAL (SELECT k AS n, ($6::text[])[k] AS code, ($7::text[])[k] AS display, ($8::text[])[k] AS unit, ($9::float8[])[k] AS lo, ($10::float8[])[k] AS hi
          FROM (SELECT 1 + (i + j) % cardinality($6::text[]) AS k) kk) t,
        LATERAL (SELECT t.lo + (coalesce(t.hi, t.lo * 1.5) - t.lo) * (((i * 37 + j * 11) % 160) - 30) / 100.0 AS val) x`,
      [at, id, CODE_SYSTEM.JLAC10, v, PLAN.labs, TESTS.map((t) => t.code), TESTS.map((t) => t.display), TESTS.map((t) => t.unit), TESTS.map((t) => t.refLow!), TESTS.map((t) => t.refHigh ?? null)]],
    [`INSERT INTO "Checkup" ("patientId", id, "facilityId", "occurredAt", programme)
      SELECT $2, $2 || '-chk-' || k, 'fac-03', ${visitAt(`(k - 1) * ${PLAN.visitsPerCheckup} + 1`)} + interval '30 minutes', '特定健診' FROM generate_series(1, $3::int) k`, [at, id, plan.checkups]],
    [`INSERT INTO "CheckupItem" ("patientId", id, "checkupId", "codeSystem", code, display, "valueNumeric", unit, flag)
      SELECT $1, $1 || '-chk-' || k || '-' || j, $1 || '-chk-' || k, $2, ($3::text[])[j], ($4::text[])[j], 100 + (k + j) % 50, ($5::text[])[j], 'N'
      FROM generate_series(1, $6::int) k, generate_series(1, cardinality($3::text[])) j`,
      [id, CODE_SYSTEM.CHECKUP, CHECKUP_ITEMS.map((x) => x.code), CHECKUP_ITEMS.map((x) => x.display), CHECKUP_ITEMS.map((x) => x.unit ?? null), plan.checkups]],
    [`INSERT INTO "Condition" ("patientId", id, "facilityId", "occurredAt", "codeSystem", code, display, icd10, major)
      SELECT $2, $2 || '-cnd-' || i, 'fac-01', ${visitAt(`(i - 1) * ${PLAN.visitsPerCondition} + 1`)}, $3, (ARRAY['8KPJ','NKPF','Q3KL','K0A6'])[1 + i % 4],
        (ARRAY['本態性高血圧症','2型糖尿病','脂質異常症','急性上気道炎'])[1 + i % 4], (ARRAY['I10','E11.9','E78.5','J06.9'])[1 + i % 4], i <= 2
      FROM generate_series(1, $4::int) i`, [at, id, CODE_SYSTEM.MEDIS_DISEASE, plan.conditions]],
    [`INSERT INTO "Procedure" ("patientId", id, "facilityId", "occurredAt", kind, "codeSystem", code, display)
      SELECT $2, $2 || '-prc-' || i, 'fac-01', ${visitAt(`i * ${PLAN.visitsPerProcedure}`)} + interval '2 hours', 'OTHER', $3, 'D308', '上部消化管内視鏡検査'
      FROM generate_series(1, $4::int) i`, [at, id, CODE_SYSTEM.PROCEDURE, plan.procedures]],
    [`INSERT INTO "Document" ("patientId", id, "facilityId", "occurredAt", kind, title, "authorName", body)
      SELECT $2, $2 || '-doc-' || i, 'fac-01', ${visitAt(`i * ${PLAN.visitsPerDocument}`)} + interval '3 hours', 'REFERRAL', '診療情報提供書', '担当医', repeat('高血圧症、2型糖尿病にて加療中の方です。', 10)
      FROM generate_series(1, $3::int) i`, [at, id, plan.documents]],
    [`INSERT INTO "Allergy" ("patientId", id, "facilityId", "occurredAt", kind, "codeSystem", code, display, severity)
      SELECT $2, $2 || '-alg-' || i, 'fac-01', $1::timestamp - (i * 1000) * interval '1 day', 'FOOD', $3, (ARRAY['EGG','MILK','SHRIMP'])[i], (ARRAY['卵','牛乳','えび'])[i], 'MILD'
      FROM generate_series(1, $4::int) i`, [at, id, CODE_SYSTEM.LOCAL_ALLERGEN, PLAN.allergies]],
  ];
  for (const [sql, params] of statements) await c.query(sql, params);
  // rows: every resource but the Patient, and the prescriptions, dispenses and checkups that hold the items
  return plan.resources - 1 + 2 * plan.visits + plan.checkups;
}
