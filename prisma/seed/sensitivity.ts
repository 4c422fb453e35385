/**
 * The seed classifies its records the way the importers will: every row's category comes from
 * lib/access/sensitivity (its code, the class of its medicines, the flag the builder set, its
 * department, its facility's kind, and the visit it belongs to). The builder's own flags are kept as
 * what a source system declared; the classifier only ever raises them.
 */
import type { Sensitivity } from "../../lib/access/decide";
import { classifyCare, classifyVisits, type CareSignals, type VisitRecord } from "../../lib/access/sensitivity";
import { FACILITIES } from "./network";
import type { Rows } from "./patients";

/** Facilities whose every record is sensitive, by what they are (the demo's psychiatric clinic, fac-10). */
export const FACILITY_CARE: Readonly<Record<string, Sensitivity>> = Object.fromEntries(FACILITIES.flatMap((f) => (f.careCategory ? [[f.id, f.careCategory]] : [])));

type Row = { patientId: string; facilityId: string; occurredAt: Date | string; sensitivity?: Sensitivity | null };

/** Rewrites `sensitivity` on every clinical row of `rows`, patient by patient. */
export function classifyRows(rows: Rows, facilityCare: Readonly<Record<string, Sensitivity>> = FACILITY_CARE): void {
  const yjByRx = new Map<string, string[]>();
  for (const i of rows.prescriptionItems) {
    if (!i.yjCode) continue;
    const k = `${i.patientId}|${i.prescriptionId}`;
    const list = yjByRx.get(k);
    if (list) list.push(i.yjCode);
    else yjByRx.set(k, [i.yjCode]);
  }

  const entries: { row: Row; signals: CareSignals; department: string | null; inherits: boolean }[] = [];
  const add = (row: Row, signals: CareSignals, department: string | null = null, inherits = true) =>
    entries.push({ row, signals: { declared: row.sensitivity ?? null, facilityCategory: facilityCare[row.facilityId] ?? null, department, ...signals }, department, inherits });
  for (const r of rows.encounters) add(r, {}, r.department ?? null);
  for (const r of rows.conditions) add(r, { icd10: r.icd10 });
  for (const r of rows.prescriptions) add(r, { yjCodes: yjByRx.get(`${r.patientId}|${r.id}`) ?? [] }, r.department ?? null);
  for (const r of rows.labResults) add(r, {});
  for (const r of rows.checkups) add(r, {});
  for (const r of rows.procedures) add(r, {});
  for (const r of rows.documents) add(r, {});
  // an allergy is a fact about the person, not the visit's care: withheld on its own signals only
  for (const r of rows.allergies) add(r, {}, null, false);

  const byPatient = new Map<string, typeof entries>();
  for (const e of entries) {
    const list = byPatient.get(e.row.patientId);
    if (list) list.push(e);
    else byPatient.set(e.row.patientId, [e]);
  }
  for (const list of byPatient.values()) {
    const visits: VisitRecord[] = list.map((e) => {
      const own = classifyCare(e.signals);
      return { facilityId: e.row.facilityId, occurredAt: new Date(e.row.occurredAt), department: e.department, own: own.category, signal: own.signal, inherits: e.inherits };
    });
    classifyVisits(visits).forEach((s, i) => (list[i]!.row.sensitivity = s));
  }
}
