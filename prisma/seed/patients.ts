/**
 * Patients and their records: five hand-written showcase patients (pat-0001 … pat-0005) and
 * generated ones (pat-0006 …). Everything derives from a seeded PRNG per patient id and from `now`,
 * so the same `now` always yields the same rows, and ids are stable ("pat-0001-rx-0003").
 *
 * Layout: row builder → physiology (labs that follow the disease) → chronic-care engine → names and
 * places → letters → generated patients → showcase patients → buildPatients().
 */
import type { Prisma } from "../../lib/db/generated/client";
import { CODE_SYSTEM } from "../../lib/terminology/code-systems";
import type { AllergyGroup } from "../../lib/terminology/allergens";
import type { SensitivityCode } from "../../lib/terminology/drugs";
import { labTest } from "../../lib/terminology/lab-tests";
import * as C from "./codes";
import { Rng } from "./random";
import { clerkOf, doctorName, facility } from "./network";

export type Sex = "MALE" | "FEMALE";
export type Sens = SensitivityCode;

export interface Rows {
  patients: Prisma.PatientCreateManyInput[];
  links: Prisma.PatientLinkCreateManyInput[];
  consents: Prisma.ConsentCreateManyInput[];
  encounters: Prisma.EncounterCreateManyInput[];
  conditions: Prisma.ConditionCreateManyInput[];
  prescriptions: Prisma.PrescriptionCreateManyInput[];
  prescriptionItems: Prisma.PrescriptionItemCreateManyInput[];
  labResults: Prisma.LabResultCreateManyInput[];
  checkups: Prisma.CheckupCreateManyInput[];
  checkupItems: Prisma.CheckupItemCreateManyInput[];
  allergies: Prisma.AllergyCreateManyInput[];
  procedures: Prisma.ProcedureCreateManyInput[];
  documents: Prisma.DocumentCreateManyInput[];
  /** telephones, contacts and insurance as a facility registered them (not clinical rows) */
  contacts: Prisma.PatientContactCreateManyInput[];
}

export function emptyRows(): Rows {
  return {
    patients: [], links: [], consents: [], encounters: [], conditions: [], prescriptions: [], prescriptionItems: [],
    labResults: [], checkups: [], checkupItems: [], allergies: [], procedures: [], documents: [], contacts: [],
  };
}

/** clinical rows (everything but patients, links and consents) */
export function recordCount(r: Rows): number {
  return r.encounters.length + r.conditions.length + r.prescriptions.length + r.prescriptionItems.length + r.labResults.length +
    r.checkups.length + r.checkupItems.length + r.allergies.length + r.procedures.length + r.documents.length;
}

export const DAY = 86_400_000;
const HOUR = 3_600_000;
export const pad = (n: number, w: number): string => String(n).padStart(w, "0");

export interface Order {
  drug: C.Drug;
  /** 1回量; default drug.dose */
  dose?: number;
  usage?: C.UsageKey;
  /** for as-needed items: number of doses (回分); default 10 */
  times?: number;
}

export interface RxInput {
  facilityId: string;
  department: string | null;
  prescriberName: string | null;
  at: Date;
  orders: Order[];
  /** days of supply for regular items */
  days: number;
  sensitivity?: Sens;
  stoppedAt?: Date | null;
  /** a dispense: the id of the prescription it fills */
  fills?: string;
}

export interface ActiveCondition {
  key: string;
  facilityId: string;
  onset: Date;
  ended?: Date;
  suspected?: boolean;
}

export class PatientBuilder {
  private counters = new Map<string, number>();
  readonly allergyGroups = new Set<AllergyGroup>();
  readonly conditionLog: ActiveCondition[] = [];
  readonly linked = new Set<string>();

  constructor(
    readonly rows: Rows,
    readonly id: string,
    readonly sex: Sex,
    readonly birth: Date,
    readonly now: Date,
    readonly rng: Rng,
  ) {}

  /** JST clock time `hh:mm` on the day `daysAgo` days before now (now is 09:00 JST). */
  at(daysAgo: number, hh = 10, mm = 0): Date {
    return new Date(this.now.getTime() - daysAgo * DAY + (hh - 9) * HOUR + mm * 60_000);
  }

  /** a clinic-hours time on that day */
  visitTime(daysAgo: number): Date {
    const morning = this.rng.chance(0.65);
    return this.at(daysAgo, morning ? this.rng.int(9, 11) : this.rng.int(14, 16), this.rng.int(0, 11) * 5);
  }

  daysAgoOf(d: Date): number {
    return Math.round((this.now.getTime() - d.getTime()) / DAY);
  }

  ageAt(d: Date): number {
    const j = new Date(d.getTime() + 9 * HOUR); // JST calendar date
    let age = j.getUTCFullYear() - this.birth.getUTCFullYear();
    const m = j.getUTCMonth() - this.birth.getUTCMonth();
    if (m < 0 || (m === 0 && j.getUTCDate() < this.birth.getUTCDate())) age--;
    return age;
  }

  /** days since birth, to keep records after birth */
  ageDays(): number {
    return Math.floor((this.now.getTime() - this.birth.getTime()) / DAY);
  }

  private nextId(kind: string, width: number): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    return `${this.id}-${kind}-${pad(n, width)}`;
  }

  // ------------------------------------------------------------------------------------------

  link(facilityId: string, localPatientId: string): void {
    if (this.linked.has(facilityId)) return;
    this.linked.add(facilityId);
    this.rows.links.push({ patientId: this.id, id: `${this.id}-lnk-${facilityId.slice(-2)}`, facilityId, localPatientId, provenance: "SEED" });
  }

  consent(x: {
    facilityId: string;
    scope: "FULL" | "EMERGENCY";
    capturedAt: Date;
    capturedById: string;
    withdrawnAt?: Date;
    withdrawnById?: string;
    withheld?: Sens[];
    method?: "WRITTEN" | "VERBAL_WITNESSED" | "CARD_READER";
    identityVerification?: "MYNUMBER_CARD" | "INSURANCE_CARD" | "OTHER";
  }): string {
    const id = this.nextId("cns", 2);
    this.rows.consents.push({
      patientId: this.id,
      id,
      facilityId: x.facilityId,
      scope: x.scope,
      status: x.withdrawnAt ? "WITHDRAWN" : "ACTIVE",
      method: x.method ?? "WRITTEN",
      identityVerification: x.identityVerification ?? "MYNUMBER_CARD",
      withheldCategories: x.withheld ?? [],
      capturedById: x.capturedById,
      capturedAt: x.capturedAt,
      withdrawnAt: x.withdrawnAt ?? null,
      withdrawnById: x.withdrawnAt ? (x.withdrawnById ?? x.capturedById) : null,
    });
    return id;
  }

  encounter(x: {
    facilityId: string;
    at: Date;
    cls: "OUTPATIENT" | "INPATIENT" | "EMERGENCY" | "HOME";
    department: string;
    reason: string;
    endedAt?: Date;
    sensitivity?: Sens;
  }): string {
    const id = this.nextId("enc", 4);
    this.rows.encounters.push({
      patientId: this.id,
      id,
      facilityId: x.facilityId,
      occurredAt: x.at,
      endedAt: x.endedAt ?? null,
      class: x.cls,
      department: x.department,
      reason: x.reason,
      sensitivity: x.sensitivity ?? "NORMAL",
    });
    return id;
  }

  condition(x: {
    key: string;
    facilityId: string;
    at: Date;
    endedAt?: Date;
    outcome?: "CURED" | "DIED" | "STOPPED" | "TRANSFERRED";
    suspected?: boolean;
    major?: boolean;
  }): string {
    const code = C.condition(x.key);
    const id = this.nextId("cnd", 2);
    this.rows.conditions.push({
      patientId: this.id,
      id,
      facilityId: x.facilityId,
      occurredAt: x.at,
      endedAt: x.endedAt ?? null,
      codeSystem: CODE_SYSTEM.MEDIS_DISEASE,
      code: code.medis,
      display: code.display,
      icd10: code.icd10,
      suspected: x.suspected ?? false,
      major: x.major ?? false,
      infection: code.infection,
      outcome: x.endedAt ? (x.outcome ?? "CURED") : null,
      sensitivity: code.sensitivity,
    });
    this.conditionLog.push({ key: x.key, facilityId: x.facilityId, onset: x.at, ended: x.endedAt, suspected: x.suspected });
    return id;
  }

  private statusFor(at: Date, days: number, stoppedAt?: Date | null): "ACTIVE" | "STOPPED" | "COMPLETED" {
    if (stoppedAt && stoppedAt.getTime() <= this.now.getTime()) return "STOPPED";
    return at.getTime() + days * DAY > this.now.getTime() ? "ACTIVE" : "COMPLETED";
  }

  private rx(kind: "PRESCRIPTION" | "DISPENSE", x: RxInput): string {
    const id = this.nextId(kind === "PRESCRIPTION" ? "rx" : "dsp", 4);
    let sensitivity: Sens = x.sensitivity ?? "NORMAL";
    for (const o of x.orders) if (o.drug.sensitivity && o.drug.sensitivity !== "NORMAL") sensitivity = o.drug.sensitivity;
    const stoppedAt = x.stoppedAt && x.stoppedAt.getTime() <= this.now.getTime() ? x.stoppedAt : null;
    this.rows.prescriptions.push({
      patientId: this.id,
      id,
      facilityId: x.facilityId,
      kind,
      occurredAt: x.at,
      status: this.statusFor(x.at, x.days, stoppedAt),
      stoppedAt,
      prescriberName: x.prescriberName,
      department: x.department,
      sensitivity,
      fillsId: kind === "DISPENSE" ? (x.fills ?? null) : null,
    });
    // one Rp per distinct 用法 (and per as-needed item), the way a 処方箋 groups them
    const rpOf = new Map<string, number>();
    x.orders.forEach((o, i) => {
      const u = C.usage(o.usage ?? o.drug.usage);
      const rpKey = u.asNeeded ? `prn-${i}` : u.key;
      if (!rpOf.has(rpKey)) rpOf.set(rpKey, rpOf.size + 1);
      this.rows.prescriptionItems.push({
        patientId: this.id,
        id: `${id}-${pad(i + 1, 2)}`,
        prescriptionId: id,
        rp: rpOf.get(rpKey) ?? 1,
        codeSystem: CODE_SYSTEM.HOT9,
        code: o.drug.hot9,
        display: o.drug.display,
        yjCode: o.drug.yj,
        hotCode: o.drug.hot9,
        dose: o.dose ?? o.drug.dose,
        doseUnit: o.drug.unit,
        usageCode: u.code,
        usageText: u.text,
        days: u.asNeeded ? (o.times ?? 10) : o.drug.usage === "WEEKLY" ? Math.max(1, Math.floor(x.days / 7)) : x.days,
        asNeeded: u.asNeeded,
      });
    });
    return id;
  }

  prescription(x: RxInput): string {
    return this.rx("PRESCRIPTION", x);
  }

  dispense(x: RxInput): string {
    return this.rx("DISPENSE", x);
  }

  lab(x: { facilityId: string; at: Date; key: string; value: number; sensitivity?: Sens }): void {
    const t = labTest(x.key);
    const v = round(x.value, t.decimals);
    const r = C.labRange(t, this.sex);
    this.rows.labResults.push({
      patientId: this.id,
      id: this.nextId("lab", 5),
      facilityId: x.facilityId,
      occurredAt: x.at,
      codeSystem: CODE_SYSTEM.JLAC10,
      code: t.code,
      display: t.display,
      valueNumeric: v,
      unit: t.unit,
      refLow: r.low ?? null,
      refHigh: r.high ?? null,
      flag: C.flagFor(v, r.low, r.high),
      sensitivity: x.sensitivity ?? "NORMAL",
    });
  }

  checkup(x: { facilityId: string; at: Date; programme: string; values: Record<string, number | string> }): string {
    const id = this.nextId("chk", 2);
    this.rows.checkups.push({ patientId: this.id, id, facilityId: x.facilityId, occurredAt: x.at, programme: x.programme, sensitivity: "NORMAL" });
    let i = 0;
    for (const item of C.CHECKUP_ITEMS) {
      const raw = x.values[item.key];
      if (raw === undefined) continue;
      i++;
      const base = { patientId: this.id, id: `${id}-${pad(i, 2)}`, checkupId: id, codeSystem: CODE_SYSTEM.CHECKUP, code: item.code, display: item.display };
      if (typeof raw === "string") {
        const idx = (C.QUALITATIVE as readonly string[]).indexOf(raw);
        this.rows.checkupItems.push({ ...base, valueText: raw, flag: idx >= 2 ? "A" : "N" });
      } else {
        const v = round(raw, item.decimals);
        const high = this.sex === "FEMALE" && item.refHighF !== undefined ? item.refHighF : item.refHigh;
        this.rows.checkupItems.push({
          ...base,
          valueNumeric: v,
          unit: item.unit ?? null,
          refLow: item.refLow ?? null,
          refHigh: high ?? null,
          flag: item.refLow === undefined && high === undefined ? null : C.flagFor(v, item.refLow, high),
        });
      }
    }
    return id;
  }

  /** What a hospital's patient master registered (as an SS-MIX2 ADT-00 would send it: PID-13, NK1, IN1). */
  contacts(facilityId: string, list: Omit<Prisma.PatientContactCreateManyInput, "patientId" | "id" | "facilityId" | "position">[]): void {
    list.forEach((c, i) => this.rows.contacts.push({ patientId: this.id, id: `${this.id}-ct-${facilityId.slice(-2)}-${i + 1}`, facilityId, position: i + 1, ...c }));
  }

  allergy(x: { facilityId: string; at: Date; group: AllergyGroup; severity: "MILD" | "MODERATE" | "SEVERE" | "UNKNOWN"; reaction?: string; active?: boolean }): void {
    const a = C.allergen(x.group);
    this.allergyGroups.add(x.group);
    this.rows.allergies.push({
      patientId: this.id,
      id: this.nextId("alg", 2),
      facilityId: x.facilityId,
      occurredAt: x.at,
      kind: a.kind,
      codeSystem: a.codeSystem,
      code: a.code,
      display: a.display,
      reaction: x.reaction ?? a.reactions[0] ?? null,
      severity: x.severity,
      active: x.active ?? true,
      sensitivity: "NORMAL",
    });
  }

  procedure(x: { facilityId: string; at: Date; key: string; note?: string; sensitivity?: Sens }): void {
    const p = C.procedure(x.key);
    this.rows.procedures.push({
      patientId: this.id,
      id: this.nextId("prc", 3),
      facilityId: x.facilityId,
      occurredAt: x.at,
      kind: p.kind,
      codeSystem: CODE_SYSTEM.PROCEDURE,
      code: p.code,
      display: p.display,
      note: x.note ?? null,
      sensitivity: x.sensitivity ?? "NORMAL",
    });
  }

  document(x: {
    facilityId: string;
    at: Date;
    kind: "REFERRAL" | "DISCHARGE_SUMMARY" | "CHECKUP_REPORT" | "IMAGING_REPORT" | "PATHOLOGY_REPORT";
    title: string;
    authorName: string;
    recipient?: string;
    body: string;
    sensitivity?: Sens;
  }): void {
    this.rows.documents.push({
      patientId: this.id,
      id: this.nextId("doc", 3),
      facilityId: x.facilityId,
      occurredAt: x.at,
      kind: x.kind,
      title: x.title,
      authorName: x.authorName,
      recipient: x.recipient ?? null,
      body: x.body,
      sensitivity: x.sensitivity ?? "NORMAL",
    });
  }

  /** avoid drugs in an allergy group the patient has (the showcase patients set this deliberately) */
  tolerates(drug: C.Drug): boolean {
    return !drug.allergyGroup || !this.allergyGroups.has(drug.allergyGroup);
  }
}

export function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

/** "2024年5月8日" in JST */
export function jpDate(d: Date): string {
  const j = new Date(d.getTime() + 9 * HOUR);
  return `${j.getUTCFullYear()}年${j.getUTCMonth() + 1}月${j.getUTCDate()}日`;
}

/** "2024年5月" in JST */
export function jpMonth(d: Date): string {
  const j = new Date(d.getTime() + 9 * HOUR);
  return `${j.getUTCFullYear()}年${j.getUTCMonth() + 1}月`;
}

/** a prescription line for letters: "ノルバスク錠5mg 1回1錠 1日1回朝食後" */
export function orderLine(o: Order): string {
  const u = C.usage(o.usage ?? o.drug.usage);
  const dose = o.dose ?? o.drug.dose;
  return `${o.drug.display} 1回${dose}${o.drug.unit} ${u.text}`;
}

// =============================================================================================
// Physiology: lab and checkup values that follow the patient's diseases and treatment over time.

export interface Physiology {
  dm?: { onset: number; peak: number; target: number; worsenFrom?: number; worsenRate?: number };
  ldl: { base: number; statinFrom?: number; treated?: number };
  hdl: number;
  tg: number;
  /** eGFR now and its decline per year */
  egfrNow: number;
  egfrSlope: number;
  /** on dialysis from (days ago) */
  dialysisFrom?: number;
  sbp: { base: number; treatedFrom?: number; treated?: number };
  hepatitis?: { treatedFrom?: number };
  drinker: boolean;
  ua: { base: number; treatedFrom?: number; treated?: number };
  hb: number;
  height: number;
  bmi: number;
}

export class Body {
  constructor(readonly p: PatientBuilder, readonly ph: Physiology, private readonly rng: Rng) {}

  private n(sd: number): number {
    return this.rng.normal(0, sd);
  }

  hba1c(d: number): number {
    const dm = this.ph.dm;
    if (!dm) return 5.4 + this.n(0.12);
    if (d > dm.onset) return Math.min(dm.peak - 0.6, 6.2 + (3650 - Math.min(d, 3650)) / 3650) + this.n(0.12);
    const years = (dm.onset - d) / 365;
    let v = dm.target + (dm.peak - dm.target) * Math.exp(-years * 2.5);
    if (dm.worsenFrom !== undefined && d < dm.worsenFrom) v += ((dm.worsenFrom - d) / 365) * (dm.worsenRate ?? 0.4);
    return Math.max(5.0, v + this.n(0.15));
  }

  glucose(d: number): number {
    return Math.max(70, 28.7 * this.hba1c(d) - 55 + this.n(9));
  }

  egfr(d: number): number {
    if (this.ph.dialysisFrom !== undefined && d <= this.ph.dialysisFrom) return Math.max(3, 6 + this.n(1));
    return Math.min(125, Math.max(4, this.ph.egfrNow + (this.ph.egfrSlope * d) / 365 + this.n(2.5)));
  }

  /** creatinine from eGFR by the JSN equation (eGFR = 194 × Cr^-1.094 × age^-0.287 × 0.739 if female) */
  creatinine(d: number, egfr = this.egfr(d)): number {
    const age = Math.max(18, this.p.ageAt(this.p.at(d)));
    const k = 194 * age ** -0.287 * (this.p.sex === "FEMALE" ? 0.739 : 1);
    return (egfr / k) ** (1 / -1.094);
  }

  ldl(d: number): number {
    const l = this.ph.ldl;
    const treated = l.statinFrom !== undefined && d <= l.statinFrom;
    return (treated ? (l.treated ?? 100) : l.base) + this.n(9);
  }

  hdl(): number {
    return this.ph.hdl + this.n(4);
  }

  tg(): number {
    return Math.max(35, this.ph.tg * Math.exp(this.n(0.25)));
  }

  ast(d: number): number {
    const h = this.ph.hepatitis;
    const hep = h ? (h.treatedFrom !== undefined && d <= h.treatedFrom ? 8 : 30) : 0;
    return 20 + hep + (this.ph.drinker ? 8 : 0) + this.n(4);
  }

  alt(d: number): number {
    const h = this.ph.hepatitis;
    const hep = h ? (h.treatedFrom !== undefined && d <= h.treatedFrom ? 10 : 45) : 0;
    return (this.p.sex === "FEMALE" ? 15 : 21) + hep + (this.ph.dm ? 6 : 0) + this.n(5);
  }

  ggt(): number {
    return Math.max(8, (this.ph.drinker ? 95 : this.p.sex === "FEMALE" ? 20 : 30) * Math.exp(this.n(0.25)));
  }

  sbp(d: number): number {
    const s = this.ph.sbp;
    const treated = s.treatedFrom !== undefined && d <= s.treatedFrom;
    return (treated ? (s.treated ?? 130) : s.base) + this.n(7);
  }

  dbp(sbp: number): number {
    return sbp * 0.6 + this.n(4);
  }

  ua(d: number): number {
    const u = this.ph.ua;
    const treated = u.treatedFrom !== undefined && d <= u.treatedFrom;
    return (treated ? (u.treated ?? 5.8) : u.base) + this.n(0.4);
  }

  value(key: string, d: number): number {
    const onDialysis = this.ph.dialysisFrom !== undefined && d <= this.ph.dialysisFrom;
    switch (key) {
      case "hba1c": return this.hba1c(d);
      case "glu": return this.glucose(d);
      case "egfr": return this.egfr(d);
      case "cre": return this.creatinine(d);
      case "bun": return onDialysis ? 55 + this.n(8) : 14 + Math.max(0, 60 - this.egfr(d)) * 0.45 + this.n(2.5);
      case "ua": return this.ua(d);
      case "ldl": return this.ldl(d);
      case "hdl": return this.hdl();
      case "tg": return this.tg();
      case "ast": return this.ast(d);
      case "alt": return this.alt(d);
      case "ggt": return this.ggt();
      case "alb": return (onDialysis ? 3.6 : 4.3) + this.n(0.15);
      case "na": return 141 + this.n(1.3);
      case "k": return (onDialysis ? 5.1 : this.egfr(d) < 45 ? 4.7 : 4.2) + this.n(0.25);
      case "crp": return Math.max(0.01, 0.05 * Math.exp(this.n(0.6)));
      case "wbc": return 5.8 + this.n(1.0);
      case "hb": return (onDialysis ? 10.6 : this.ph.hb) + this.n(0.4);
      case "plt": return (this.ph.hepatitis ? 16.5 : 24) + this.n(3);
      default: throw new Error(`no model for lab ${key}`);
    }
  }

  /** 特定健診 values at a time */
  checkupValues(d: number, opts: { worse?: boolean } = {}): Record<string, number | string> {
    const height = this.ph.height + this.n(0.3);
    const bmi = this.ph.bmi + (opts.worse ? 0.8 : 0) + this.n(0.4);
    const weight = (bmi * height * height) / 10000;
    const waist = bmi * (this.p.sex === "FEMALE" ? 3.25 : 3.4) + this.n(2);
    const sbp = this.sbp(d) + (opts.worse ? 6 : 0);
    const a1c = this.hba1c(d);
    const uglu = a1c > 8.5 ? (this.rng.chance(0.5) ? "＋" : "２＋") : a1c > 7.4 && this.rng.chance(0.3) ? "±" : "－";
    const egfr = this.egfr(d);
    const upro = egfr < 45 ? (this.rng.chance(0.5) ? "＋" : "２＋") : egfr < 60 && this.rng.chance(0.4) ? "±" : this.rng.chance(0.05) ? "±" : "－";
    return {
      height, weight, bmi: (weight * 10000) / (height * height), waist,
      sbp, dbp: this.dbp(sbp),
      tg: this.tg(), hdl: this.hdl(), ldl: this.ldl(d),
      ast: this.ast(d), alt: this.alt(d), ggt: this.ggt(),
      fpg: this.glucose(d), hba1c: a1c, uglu, upro,
    };
  }
}

// =============================================================================================
// Chronic care: a facility/department seeing the patient every 4–8 weeks, prescribing the current
// regimen (dispensed at the patient's pharmacy the same or next day) and drawing labs.

export interface Regimen {
  facilityId: string;
  department: string;
  pharmacyId: string;
  /** first visit, days ago */
  from: number;
  /** last visit, days ago (must be shorter than the supply so the medicines are current); default random */
  last?: number;
  /** last visit when the care ended (e.g. a suspended clinic) */
  until?: number;
  /** visit gaps to pick from (days) */
  gaps: readonly number[];
  reason: string;
  sensitivity?: Sens;
  drugsAt: (daysAgo: number, visit: number) => Order[];
  labsAt?: (daysAgo: number, visit: number) => readonly string[];
  labSensitivity?: (key: string) => Sens;
  nextDayDispense?: number;
  stopChance?: number;
  /** days of supply at the last visit (default 28/42/56) */
  lastSupply?: number;
  /** prescribe even against a recorded allergy (the showcase's deliberate warning case) */
  ignoreAllergies?: boolean;
}

export interface VisitLog {
  daysAgo: number;
  orders: Order[];
}

export function runRegimen(p: PatientBuilder, body: Body, reg: Regimen): VisitLog[] {
  const rng = p.rng;
  const end = reg.until ?? reg.last ?? rng.int(3, 24);
  const days: number[] = [];
  for (let d = end; d <= reg.from; d += rng.pick(reg.gaps)) days.push(d);
  days.reverse();
  const doctor = doctorName(reg.facilityId, reg.department);
  const log: VisitLog[] = [];
  days.forEach((d, i) => {
    const at = p.visitTime(d);
    p.encounter({ facilityId: reg.facilityId, at, cls: "OUTPATIENT", department: reg.department, reason: reg.reason, sensitivity: reg.sensitivity });
    const next = days[i + 1];
    const supply = next !== undefined ? Math.min(56, Math.max(28, d - next)) : reg.until !== undefined ? 28 : (reg.lastSupply ?? (d < 28 ? rng.pick([28, 42, 56]) : 56));
    const orders = reg.drugsAt(d, i).filter((o) => reg.ignoreAllergies || p.tolerates(o.drug));
    if (orders.length > 0) {
      const stopped = next !== undefined && rng.chance(reg.stopChance ?? 0.02) ? new Date(at.getTime() + rng.int(3, supply - 7) * DAY) : null;
      const rx: RxInput = { facilityId: reg.facilityId, department: reg.department, prescriberName: doctor, at: new Date(at.getTime() + 10 * 60_000), orders, days: supply, sensitivity: reg.sensitivity, stoppedAt: stopped };
      const rxId = p.prescription(rx);
      const nextDay = rng.chance(reg.nextDayDispense ?? 0.12) && d > 1;
      const dAt = nextDay ? p.at(d - 1, rng.int(10, 17), rng.int(0, 11) * 5) : new Date(at.getTime() + rng.int(40, 120) * 60_000);
      p.dispense({ ...rx, facilityId: reg.pharmacyId, at: dAt, prescriberName: doctor, fills: rxId });
      log.push({ daysAgo: d, orders });
    }
    const labs = reg.labsAt?.(d, i) ?? [];
    for (const key of labs) p.lab({ facilityId: reg.facilityId, at: new Date(at.getTime() - 20 * 60_000), key, value: body.value(key, d), sensitivity: reg.labSensitivity?.(key) });
  });
  return log;
}

// =============================================================================================
// Names, places, insurance

const FAMILY: readonly (readonly [string, string])[] = [
  ["佐藤", "サトウ"], ["鈴木", "スズキ"], ["高橋", "タカハシ"], ["田中", "タナカ"], ["伊藤", "イトウ"], ["渡辺", "ワタナベ"],
  ["山本", "ヤマモト"], ["中村", "ナカムラ"], ["小林", "コバヤシ"], ["加藤", "カトウ"], ["吉田", "ヨシダ"], ["山田", "ヤマダ"],
  ["佐々木", "ササキ"], ["山口", "ヤマグチ"], ["松本", "マツモト"], ["井上", "イノウエ"], ["木村", "キムラ"], ["林", "ハヤシ"],
  ["斎藤", "サイトウ"], ["清水", "シミズ"], ["山崎", "ヤマザキ"], ["森", "モリ"], ["池田", "イケダ"], ["橋本", "ハシモト"],
  ["阿部", "アベ"], ["石川", "イシカワ"], ["山下", "ヤマシタ"], ["中島", "ナカジマ"], ["石井", "イシイ"], ["小川", "オガワ"],
  ["前田", "マエダ"], ["岡田", "オカダ"], ["長谷川", "ハセガワ"], ["藤田", "フジタ"], ["後藤", "ゴトウ"], ["近藤", "コンドウ"],
  ["村上", "ムラカミ"], ["遠藤", "エンドウ"], ["青木", "アオキ"], ["坂本", "サカモト"], ["望月", "モチヅキ"], ["杉山", "スギヤマ"],
  ["増田", "マスダ"], ["大石", "オオイシ"], ["渡邊", "ワタナベ"], ["服部", "ハットリ"], ["内田", "ウチダ"], ["松下", "マツシタ"],
  ["片山", "カタヤマ"], ["海野", "ウンノ"], ["天野", "アマノ"], ["勝又", "カツマタ"], ["芹沢", "セリザワ"], ["漆畑", "ウルシバタ"],
  ["植田", "ウエダ"], ["原田", "ハラダ"], ["土屋", "ツチヤ"], ["秋山", "アキヤマ"], ["河合", "カワイ"], ["塩川", "シオカワ"],
];

const GIVEN: Record<"MALE" | "FEMALE", Record<"old" | "mid" | "young", readonly (readonly [string, string])[]>> = {
  MALE: {
    old: [["茂", "シゲル"], ["勇", "イサム"], ["清", "キヨシ"], ["弘", "ヒロシ"], ["正夫", "マサオ"], ["和夫", "カズオ"], ["一郎", "イチロウ"],
      ["誠", "マコト"], ["隆", "タカシ"], ["修", "オサム"], ["実", "ミノル"], ["進", "ススム"], ["武", "タケシ"], ["昭", "アキラ"],
      ["健一", "ケンイチ"], ["幸雄", "ユキオ"], ["義男", "ヨシオ"], ["三郎", "サブロウ"], ["秀樹", "ヒデキ"], ["浩二", "コウジ"], ["豊", "ユタカ"], ["敏夫", "トシオ"]],
    mid: [["大輔", "ダイスケ"], ["健太", "ケンタ"], ["拓也", "タクヤ"], ["直樹", "ナオキ"], ["達也", "タツヤ"], ["翔太", "ショウタ"], ["和也", "カズヤ"],
      ["亮", "リョウ"], ["剛", "ツヨシ"], ["雄一", "ユウイチ"], ["哲也", "テツヤ"], ["聡", "サトシ"], ["浩之", "ヒロユキ"], ["康弘", "ヤスヒロ"]],
    young: [["蓮", "レン"], ["悠真", "ユウマ"], ["陽翔", "ハルト"], ["湊", "ミナト"], ["大翔", "ヒロト"], ["蒼", "アオイ"], ["颯太", "ソウタ"],
      ["樹", "イツキ"], ["陸", "リク"], ["悠人", "ユウト"], ["朝陽", "アサヒ"], ["結翔", "ユイト"]],
  },
  FEMALE: {
    old: [["和子", "カズコ"], ["節子", "セツコ"], ["幸子", "サチコ"], ["洋子", "ヨウコ"], ["恵子", "ケイコ"], ["京子", "キョウコ"], ["久子", "ヒサコ"],
      ["美智子", "ミチコ"], ["悦子", "エツコ"], ["文子", "フミコ"], ["弘子", "ヒロコ"], ["順子", "ジュンコ"], ["静江", "シズエ"], ["千代子", "チヨコ"],
      ["光子", "ミツコ"], ["敏子", "トシコ"], ["昭子", "アキコ"], ["由美子", "ユミコ"]],
    mid: [["恵美", "エミ"], ["裕子", "ユウコ"], ["直美", "ナオミ"], ["真由美", "マユミ"], ["陽子", "ヨウコ"], ["智子", "トモコ"], ["美穂", "ミホ"],
      ["愛", "アイ"], ["彩", "アヤ"], ["麻衣", "マイ"], ["香織", "カオリ"], ["美咲", "ミサキ"], ["舞", "マイ"], ["由佳", "ユカ"]],
    young: [["陽葵", "ヒマリ"], ["凛", "リン"], ["結衣", "ユイ"], ["芽依", "メイ"], ["紬", "ツムギ"], ["葵", "アオイ"], ["結菜", "ユイナ"],
      ["さくら", "サクラ"], ["莉子", "リコ"], ["美桜", "ミオ"], ["心春", "コハル"], ["杏", "アン"]],
  },
};

const TOWNS: readonly (readonly [string, string, string])[] = [
  ["420-0031", "静岡市葵区", "呉服町"], ["420-0858", "静岡市葵区", "伝馬町"], ["420-0838", "静岡市葵区", "相生町"], ["420-0882", "静岡市葵区", "安東"],
  ["420-0911", "静岡市葵区", "瀬名"], ["420-0816", "静岡市葵区", "沓谷"], ["420-0047", "静岡市葵区", "清閑町"],
  ["422-8006", "静岡市駿河区", "曲金"], ["422-8041", "静岡市駿河区", "中田"], ["422-8021", "静岡市駿河区", "小鹿"], ["422-8046", "静岡市駿河区", "中島"],
  ["421-0122", "静岡市駿河区", "用宗"], ["422-8051", "静岡市駿河区", "中野新田"],
  ["424-0816", "静岡市清水区", "真砂町"], ["424-0886", "静岡市清水区", "草薙"], ["424-0065", "静岡市清水区", "長崎"],
  ["425-0026", "焼津市", "焼津"], ["425-0035", "焼津市", "東小川"], ["426-0034", "藤枝市", "駅前"], ["426-0067", "藤枝市", "前島"],
  ["427-0022", "島田市", "本通"], ["427-0041", "島田市", "中河町"],
];

/** 保険者番号 with its check digit (weights 2,1,2,… from the left, digit sum, 10's complement) */
export function insurerNumber(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const v = Number(body[i]) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(v / 10) + (v % 10);
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** 静岡県後期高齢者医療広域連合 (one insurer for the prefecture; the demo's number, as given for pat-0001) */
const LATE_ELDERLY_INSURER = "39221010";

function insuranceFor(rng: Rng, age: number): { insurerNumber: string; insuredSymbol: string | null; insuredNumber: string } {
  if (age >= 75) return { insurerNumber: LATE_ELDERLY_INSURER, insuredSymbol: null, insuredNumber: pad(rng.int(1, 99_999_999), 8) };
  const kind = rng.weighted([["kyokai", 45], ["kumiai", 20], ["kyosai", 8], ["kokuho", age >= 60 ? 60 : 27]] as const);
  switch (kind) {
    case "kyokai":
      return { insurerNumber: insurerNumber("0122001"), insuredSymbol: String(rng.int(2_000_000, 2_299_999)), insuredNumber: String(rng.int(1, 999)) };
    case "kumiai":
      return { insurerNumber: insurerNumber(`0622${pad(rng.int(100, 180), 3)}`), insuredSymbol: pad(rng.int(1, 99), 2), insuredNumber: String(rng.int(100, 99_999)) };
    case "kyosai":
      return { insurerNumber: insurerNumber(`3222${pad(rng.int(1, 20), 3)}`), insuredSymbol: `静教${rng.int(1, 9)}`, insuredNumber: String(rng.int(1000, 999_999)) };
    default: {
      const city = rng.pick(["001", "028", "032", "019"]);
      return { insurerNumber: insurerNumber(`22${city}`), insuredSymbol: rng.pick(["静葵", "静駿", "静清", "焼津", "藤枝", "島田"]), insuredNumber: pad(rng.int(1, 999_999), 6) };
    }
  }
}

function phoneFor(rng: Rng): string {
  return rng.chance(0.45) ? `054-${rng.int(200, 299)}-${pad(rng.int(0, 9999), 4)}` : `0${rng.pick(["90", "80", "70"])}-${pad(rng.int(1000, 9999), 4)}-${pad(rng.int(0, 9999), 4)}`;
}

function addressFor(rng: Rng): { postalCode: string; address: string } {
  const [postal, city, town] = rng.pick(TOWNS);
  return { postalCode: postal, address: `静岡県${city}${town}${rng.int(1, 5)}-${rng.int(1, 28)}-${rng.int(1, 20)}` };
}

/** a facility's local patient id: hospitals 8 digits, clinics 5, pharmacies "P" + 6 */
export function localId(facilityId: string, patientNo: number): string {
  const n = Number(facilityId.slice(-2));
  const f = facilityId === "fac-01" || facilityId === "fac-02" ? "hospital" : facilityId === "fac-06" || facilityId === "fac-07" ? "pharmacy" : "clinic";
  if (f === "hospital") return pad(10_000_000 * n + patientNo * 37 + 1201, 8);
  if (f === "pharmacy") return `P${pad(patientNo * 13 + 100 * n, 6)}`;
  return pad(patientNo * 7 + 1000 * n, 5);
}

function birthFromAge(rng: Rng, now: Date, age: number): Date {
  const j = new Date(now.getTime() + 9 * 3_600_000);
  const dayOfYear = rng.int(0, 364);
  const b = new Date(Date.UTC(j.getUTCFullYear() - age - 1, 0, 1) + dayOfYear * DAY);
  // make sure the age now is exactly `age`
  const t = new Date(Date.UTC(j.getUTCFullYear(), j.getUTCMonth(), j.getUTCDate()));
  const bd = new Date(Date.UTC(t.getUTCFullYear() - age, b.getUTCMonth(), b.getUTCDate()));
  return bd.getTime() > t.getTime() ? new Date(Date.UTC(t.getUTCFullYear() - age - 1, b.getUTCMonth(), b.getUTCDate())) : bd;
}

function nameFor(rng: Rng, sex: Sex, birthYear: number): { familyName: string; givenName: string; familyNameKana: string; givenNameKana: string } {
  const [fam, famKana] = rng.pick(FAMILY);
  const era = birthYear < 1965 ? "old" : birthYear < 1995 ? "mid" : "young";
  const [giv, givKana] = rng.pick(GIVEN[sex][era]);
  return { familyName: fam, givenName: giv, familyNameKana: famKana, givenNameKana: givKana };
}

// =============================================================================================
// Letters and reports (several lines of realistic Japanese)

function referralBody(x: { purpose: string; diagnoses: string[]; history: string[]; allergies: string[]; course: string; meds: string[]; closing?: string }): string {
  return [
    `【紹介目的】${x.purpose}`,
    `【傷病名】${x.diagnoses.join("、")}`,
    `【既往歴】${x.history.length ? x.history.join("、") : "特記事項なし"}`,
    `【アレルギー・薬剤禁忌】${x.allergies.length ? x.allergies.join("、") : "なし"}`,
    `【症状経過・検査結果】${x.course}`,
    "【現在の処方】",
    ...(x.meds.length ? x.meds.map((m, i) => `  Rp${i + 1}. ${m}`) : ["  なし"]),
    x.closing ?? "ご多忙のところ恐縮ですが、ご高診のほどよろしくお願い申し上げます。",
  ].join("\n");
}

function dischargeBody(x: { admit: Date; discharge: Date; dx: string; complaint: string; course: string; procedures: string[]; meds: string[]; plan: string }): string {
  return [
    `【入院日】${jpDate(x.admit)}　【退院日】${jpDate(x.discharge)}`,
    `【入院時診断】${x.dx}`,
    `【主訴】${x.complaint}`,
    `【入院後経過】${x.course}`,
    `【手術・処置】${x.procedures.length ? x.procedures.join("、") : "なし"}`,
    "【退院時処方】",
    ...(x.meds.length ? x.meds.map((m) => `  ${m}`) : ["  なし（入院前の処方を継続）"]),
    `【退院後の方針】${x.plan}`,
  ].join("\n");
}

function imagingBody(x: { exam: string; findings: string; impression: string }): string {
  return [`【検査】${x.exam}`, `【所見】${x.findings}`, `【診断】${x.impression}`].join("\n");
}

function pathologyBody(x: { specimen: string; findings: string; diagnosis: string }): string {
  return [`【検体】${x.specimen}`, `【肉眼・組織所見】${x.findings}`, `【病理診断】${x.diagnosis}`].join("\n");
}

function checkupReportBody(p: PatientBuilder, v: Record<string, number | string>, at: Date): string {
  const num = (k: string): number => (typeof v[k] === "number" ? (v[k] as number) : 0);
  const waistOver = num("waist") >= (p.sex === "FEMALE" ? 90 : 85);
  const risks = [
    num("sbp") >= 130 || num("dbp") >= 85,
    num("fpg") >= 110 || num("hba1c") >= 6.0,
    num("tg") >= 150 || num("hdl") < 40,
  ].filter(Boolean).length;
  const metabo = waistOver ? (risks >= 2 ? "基準該当" : risks === 1 ? "予備群該当" : "非該当") : "非該当";
  const level = waistOver && risks >= 2 ? (p.ageAt(at) >= 65 ? "動機付け支援" : "積極的支援") : waistOver && risks === 1 ? "動機付け支援" : "なし";
  const comments: string[] = [];
  if (num("hba1c") >= 6.5) comments.push("HbA1cが受診勧奨判定値を超えています。かかりつけ医での治療を継続してください。");
  else if (num("hba1c") >= 5.6) comments.push("血糖がやや高めです。食事・運動習慣の見直しをお勧めします。");
  if (num("sbp") >= 140 || num("dbp") >= 90) comments.push("血圧が受診勧奨判定値以上です。");
  if (num("ldl") >= 140) comments.push("LDLコレステロールが高値です。");
  if (!comments.length) comments.push("前年と比べ大きな変化はありません。");
  return [
    `【受診日】${jpDate(at)}`,
    `【身長/体重/BMI】${round(num("height"), 1)}cm / ${round(num("weight"), 1)}kg / ${round(num("bmi"), 1)}`,
    `【腹囲】${round(num("waist"), 1)}cm　【血圧】${Math.round(num("sbp"))}/${Math.round(num("dbp"))}mmHg`,
    `【脂質】中性脂肪 ${Math.round(num("tg"))} / HDL ${Math.round(num("hdl"))} / LDL ${Math.round(num("ldl"))} mg/dL`,
    `【血糖】空腹時血糖 ${Math.round(num("fpg"))} mg/dL / HbA1c ${round(num("hba1c"), 1)}%`,
    `【尿】糖 ${String(v.uglu)}　蛋白 ${String(v.upro)}`,
    `【メタボリックシンドローム判定】${metabo}`,
    `【保健指導レベル】${level}`,
    `【医師の判断】${comments.join("")}`,
  ].join("\n");
}

// =============================================================================================
// Generated patients

type Band = readonly [number, number];
const AGE_BANDS: readonly (readonly [Band, number])[] = [[[0, 14], 10], [[15, 39], 15], [[40, 64], 30], [[65, 74], 20], [[75, 95], 25]];

const HOSPITAL_ONLY = new Set(["esrd", "hiv"]);
const HOSPITAL_PREFERRED = new Set(["angina", "af", "chf", "cerebralInfarction", "depression", "panic", "hbv", "hcv", "hiv", "esrd", "copd", "bph"]);
const ORTHO = new Set(["kneeOa", "osteoporosis"]);
const MAJOR_ORDER = ["esrd", "chf", "cerebralInfarction", "angina", "af", "hiv", "copd", "t2dm", "hbv", "hcv", "depression", "htn", "asthma"];

function prevalence(age: number, sex: Sex): [string, number][] {
  const m = sex === "MALE";
  const list: [string, number][] = [];
  const add = (k: string, p: number): void => {
    if (p > 0) list.push([k, p]);
  };
  if (age < 15) {
    add("asthma", 0.08);
    add("atopicDermatitis", 0.12);
    add("allergicRhinitis", age >= 5 ? 0.12 : 0);
    return list;
  }
  add("htn", age >= 35 ? Math.min(0.65, 0.1 + (age - 35) * 0.013) : 0.01);
  add("t2dm", age >= 35 ? Math.min(0.3, (0.04 + (age - 35) * 0.005) * (m ? 1.3 : 0.8)) : 0);
  add("dyslipidemia", age >= 35 ? Math.min(0.4, 0.08 + (age - 35) * 0.006 + (!m && age >= 55 ? 0.1 : 0)) : 0.01);
  add("hyperuricemia", m && age >= 30 ? 0.1 : 0);
  add("gerd", 0.07);
  add("asthma", 0.05);
  add("copd", m && age >= 60 ? 0.06 : 0);
  add("af", age >= 65 ? 0.07 : 0);
  add("chf", age >= 70 ? 0.06 : 0);
  add("angina", age >= 55 ? 0.06 : 0);
  add("cerebralInfarction", age >= 65 ? 0.05 : 0);
  add("kneeOa", age >= 55 ? (m ? 0.08 : 0.2) : 0);
  add("osteoporosis", !m && age >= 60 ? 0.25 : 0);
  add("bph", m && age >= 60 ? 0.2 : 0);
  add("insomnia", age >= 20 ? 0.08 : 0);
  add("depression", age >= 18 && age <= 80 ? 0.06 : 0);
  add("panic", age >= 20 && age <= 55 ? 0.02 : 0);
  add("hbv", age >= 25 ? 0.02 : 0);
  add("hcv", age >= 50 ? 0.015 : 0);
  add("hiv", age >= 20 && age <= 65 ? 0.01 : 0);
  add("allergicRhinitis", 0.12);
  add("migraine", !m && age >= 18 && age <= 55 ? 0.08 : 0);
  add("cataract", age >= 65 ? 0.25 : 0);
  add("esrd", age >= 50 ? 0.012 : 0);
  return list;
}

interface Plan {
  key: string;
  onset: number;
  facilityId: string;
  department: string;
  drugs: { drug: C.Drug; from: number; until?: number; usage?: C.UsageKey; dose?: number; every?: number; months?: number[] }[];
}

function jstMonth(p: PatientBuilder, d: number): number {
  return new Date(p.at(d).getTime() + 9 * 3_600_000).getUTCMonth() + 1;
}

function pickTolerated(p: PatientBuilder, rng: Rng, keys: string[]): C.Drug | undefined {
  const ok = keys.map((k) => C.drug(k)).filter((x) => p.tolerates(x));
  return ok.length ? rng.pick(ok) : undefined;
}

function drugPlan(p: PatientBuilder, rng: Rng, key: string, onset: number, age: number, body: Physiology): Plan["drugs"] {
  const out: Plan["drugs"] = [];
  const later = (min: number): number | undefined => (onset - 60 > min ? rng.int(min, onset - 60) : undefined);
  const add = (k: string, from: number, extra: Partial<Plan["drugs"][number]> = {}): void => {
    const dr = C.drug(k);
    if (p.tolerates(dr)) out.push({ drug: dr, from, ...extra });
  };
  switch (key) {
    case "htn": {
      const first = rng.pick(["norvasc5", "amlodin5", "blopress8", "micardis40"]);
      add(first, onset);
      const second = later(60);
      if (second !== undefined && rng.chance(0.4)) add(first === "blopress8" || first === "micardis40" ? rng.pick(["norvasc5", "amlodin5"]) : rng.pick(["blopress8", "micardis40"]), second);
      break;
    }
    case "t2dm": {
      if (body.egfrNow >= 30) add("metgluco250", onset, { dose: rng.pick([1, 2]) });
      const t = later(60);
      if (t !== undefined && (rng.chance(0.6) || body.egfrNow < 30)) add("januvia50", t);
      const s = later(60);
      if (s !== undefined && rng.chance(0.15) && age < 80) add("amaryl1", s);
      break;
    }
    case "dyslipidemia":
      add(rng.pick(["crestor2_5", "lipitor10"]), Math.max(30, onset - rng.int(30, 180)));
      break;
    case "hyperuricemia":
      add("feburic20", onset);
      break;
    case "angina":
      add("bayaspirin100", onset);
      add("nitropen", onset, { every: 4 });
      if (rng.chance(0.5)) add("sigmart5", onset);
      break;
    case "af":
      add("warfarin1", onset, { dose: rng.pick([1.5, 2, 2.5, 3]) });
      add("maintate2_5", onset);
      break;
    case "chf":
      add("lasix20", onset);
      add("maintate2_5", onset);
      break;
    case "cerebralInfarction":
      add("plavix75", onset);
      break;
    case "asthma":
      if (age < 15) add("hokunalinTape1", onset);
      else {
        add("relvar100", onset);
        add("singulair10", onset);
      }
      break;
    case "copd":
      add("relvar100", onset);
      break;
    case "gerd":
      add(rng.pick(["takepronOd15", "pariet10"]), onset);
      break;
    case "kneeOa": {
      add("loxoninTape100", onset);
      const nsaid = pickTolerated(p, rng, ["celecox100", "loxonin60"]);
      if (nsaid) out.push({ drug: nsaid, from: onset });
      else add("calonal500", onset, { usage: "T3" });
      break;
    }
    case "osteoporosis":
      add("edirol0_75", onset);
      add("bonalon35", onset);
      break;
    case "bph":
      add("harnalD0_2", onset);
      break;
    case "insomnia":
      add("myslee5", onset);
      break;
    case "depression":
      add(rng.pick(["jzoloft25", "lexapro10"]), onset);
      if (rng.chance(0.4)) add("myslee5", onset);
      break;
    case "panic":
      add("lexapro10", onset);
      break;
    case "hbv":
      add("baraclude0_5", onset);
      break;
    case "hiv":
      add("biktarvy", onset);
      break;
    case "allergicRhinitis":
      if (age >= 15) add("allegra60", onset, { months: [2, 3, 4] });
      break;
    case "migraine":
      add("calonal500", onset, { every: 3 });
      break;
    default:
      break;
  }
  return out;
}

function labsFor(keys: Set<string>): (d: number, i: number) => string[] {
  return (_d, i) => {
    const s = new Set<string>();
    const every = (n: number, ...ks: string[]): void => {
      if (i % n === 0) ks.forEach((k) => s.add(k));
    };
    if (keys.has("t2dm")) {
      every(1, "hba1c");
      every(2, "glu");
      every(3, "cre", "egfr", "ldl", "hdl", "tg", "ast", "alt");
      every(6, "k", "na", "ua", "hb", "wbc", "plt");
    }
    if (keys.has("htn") || keys.has("ckd")) {
      every(3, "cre", "egfr", "k", "na");
      every(6, "ldl", "hdl", "tg", "ast", "alt", "hb");
    }
    if (keys.has("dyslipidemia")) every(3, "ldl", "hdl", "tg", "ast", "alt");
    if (keys.has("hyperuricemia")) every(3, "ua", "cre", "egfr");
    if (keys.has("hbv") || keys.has("hcv")) {
      every(1, "ast", "alt");
      every(3, "plt", "alb");
    }
    if (keys.has("hiv")) every(2, "wbc", "hb", "plt", "cre", "egfr", "ast", "alt");
    if (keys.has("af") || keys.has("chf")) every(2, "cre", "egfr", "k", "na", "hb");
    if (keys.has("depression") || keys.has("panic")) every(6, "ast", "alt", "na");
    return [...s];
  };
}

function generatePatient(rows: Rows, no: number, now: Date): void {
  const id = `pat-${pad(no, 4)}`;
  const rng = new Rng(id);
  const [lo, hi] = rng.weighted(AGE_BANDS);
  const age = rng.int(lo, hi);
  const sex: Sex = rng.chance(age >= 75 ? 0.6 : 0.5) ? "FEMALE" : "MALE";
  // infants are at least five months old, so their record has room for a few visits
  const birth = age === 0 ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - rng.int(150, 360) * DAY) : birthFromAge(rng, now, age);
  const name = nameFor(rng, sex, birth.getUTCFullYear());
  const ins = insuranceFor(rng, age);
  const addr = addressFor(rng);
  rows.patients.push({ id, ...name, sex, birthDate: birth, ...ins, ...addr, phone: phoneFor(rng) });

  const p = new PatientBuilder(rows, id, sex, birth, now, rng);
  const span = Math.max(60, Math.min(p.ageDays() - 30, rng.chance(0.45) ? 3650 : rng.int(365, 3650)));
  const kid = age < 15;

  // allergies first, so that prescriptions avoid them
  const allergyRoll = rng.next();
  const allergies: AllergyGroup[] = [];
  if (allergyRoll < 0.15) {
    allergies.push(rng.weighted<AllergyGroup>(kid
      ? [["EGG", 30], ["MILK", 20], ["WHEAT", 15], ["PEANUT", 10], ["SHRIMP", 5], ["PENICILLIN", 10], ["HOUSE_DUST", 10]]
      : [["PENICILLIN", 22], ["CEPHEM", 12], ["NSAIDS", 14], ["QUINOLONE", 5], ["IODINE_CONTRAST", 8], ["BUCKWHEAT", 8], ["SHRIMP", 8], ["CRAB", 4], ["MACKEREL", 5], ["KIWI", 4], ["CEDAR_POLLEN", 6], ["LATEX", 4]]));
    if (rng.chance(0.25)) allergies.push(rng.pick<AllergyGroup>(["EGG", "SHRIMP", "PENICILLIN", "CEDAR_POLLEN", "NSAIDS"]));
  }
  for (const g of allergies) p.allergyGroups.add(g);

  // physiology
  const ph: Physiology = {
    ldl: { base: rng.int(95, 140) },
    hdl: sex === "FEMALE" ? rng.int(52, 75) : rng.int(40, 62),
    tg: rng.int(60, 150),
    egfrNow: Math.max(35, Math.min(115, 118 - age * 0.75 + rng.normal(0, 9))),
    egfrSlope: rng.float(0.3, 1.0),
    sbp: { base: rng.int(108, 132) },
    drinker: sex === "MALE" && age >= 25 && rng.chance(0.25),
    ua: { base: sex === "MALE" ? rng.float(5, 6.8) : rng.float(3.5, 5) },
    hb: sex === "FEMALE" ? rng.float(12.2, 13.8) : rng.float(13.8, 15.6),
    height: kid ? 50 + age * 6.2 : sex === "MALE" ? rng.normal(age >= 65 ? 163 : 170, 5.5) : rng.normal(age >= 65 ? 150 : 157, 5),
    bmi: kid ? rng.float(14.5, 18) : rng.float(19, 26.5),
  };

  // chronic conditions
  const chosen = new Map<string, number>();
  for (const [k, prob] of prevalence(age, sex)) if (rng.chance(prob)) chosen.set(k, rng.chance(0.5) ? span - rng.int(0, 90) : rng.int(Math.min(90, span - 1), span));
  if (chosen.has("esrd")) { chosen.set("t2dm", chosen.get("t2dm") ?? span); chosen.set("htn", chosen.get("htn") ?? span); }
  if ((chosen.has("t2dm") || chosen.has("htn")) && age >= 60 && rng.chance(0.25)) chosen.set("ckd", rng.int(60, span));
  for (const [k, onset] of chosen) chosen.set(k, Math.max(60, Math.min(onset, span)));

  const dm = chosen.get("t2dm");
  if (dm !== undefined) {
    ph.dm = { onset: dm, peak: rng.float(7.4, 9.8), target: rng.float(6.4, 7.4), worsenFrom: rng.chance(0.35) ? rng.int(180, Math.max(181, Math.min(dm, 900))) : undefined, worsenRate: rng.float(0.3, 0.7) };
    ph.tg += 40;
    ph.bmi += 2;
    ph.egfrSlope += 0.8;
  }
  const dl = chosen.get("dyslipidemia");
  if (dl !== undefined) ph.ldl = { base: rng.int(165, 205), statinFrom: Math.max(30, dl - 90), treated: rng.int(85, 125) };
  const ht = chosen.get("htn");
  if (ht !== undefined) ph.sbp = { base: rng.int(148, 168), treatedFrom: ht, treated: rng.int(124, 142) };
  const ua = chosen.get("hyperuricemia");
  if (ua !== undefined) ph.ua = { base: rng.float(8, 9.5), treatedFrom: ua, treated: rng.float(5.2, 6.4) };
  if (chosen.has("ckd")) { ph.egfrNow = rng.float(32, 55); ph.egfrSlope = rng.float(1, 2.2); }
  const esrd = chosen.get("esrd");
  if (esrd !== undefined) { ph.dialysisFrom = Math.min(esrd, span - 30); ph.egfrNow = 6; ph.egfrSlope = 4; }
  const hb = chosen.get("hbv") ?? chosen.get("hcv");
  if (hb !== undefined) ph.hepatitis = { treatedFrom: chosen.has("hbv") ? hb : undefined };
  if (chosen.has("ida")) ph.hb = 10.5;
  const bodyRng = rng.fork("body");

  // facilities (at most four, counting the pharmacy)
  const pc = kid ? "fac-08" : rng.weighted([["fac-03", 60], ["fac-01", 20], ["fac-02", 20]] as const);
  const pharmacy = kid ? rng.weighted([["fac-07", 60], ["fac-06", 40]] as const) : rng.weighted([["fac-06", 55], ["fac-07", 45]] as const);
  const set: string[] = [pc, pharmacy];
  const admissionRoll = rng.next();
  const admissionP = kid ? 0.06 : age >= 75 ? 0.4 : age >= 65 ? 0.3 : age >= 40 ? 0.15 : 0.06;
  const wantsHospital = [...chosen.keys()].some((k) => HOSPITAL_PREFERRED.has(k)) || admissionRoll < admissionP;
  let hospital = pc === "fac-01" || pc === "fac-02" ? pc : undefined;
  const needsPsychOrInfect = [...chosen.keys()].some((k) => ["depression", "panic", "hbv", "hcv", "hiv"].includes(k));
  if (!hospital && wantsHospital) {
    hospital = needsPsychOrInfect || rng.chance(0.55) ? "fac-01" : "fac-02";
    set.push(hospital);
  }
  if (!kid && [...chosen.keys()].some((k) => ORTHO.has(k)) && set.length < 4) set.push("fac-04");
  else if (!kid && set.length < 4 && rng.chance(0.06)) set.push("fac-04"); // lumbago etc.
  const suspendedClinic = !kid && set.length < 4 && span > 900 && rng.chance(0.08);
  if (suspendedClinic) set.push("fac-09");
  const eyeClinic = set.length < 4 && (chosen.has("cataract") ? rng.chance(0.7) : age >= 50 && rng.chance(0.1));
  if (eyeClinic) set.push("fac-05");
  const has = (f: string): boolean => set.includes(f);

  // where each chronic condition is managed
  const plans: Plan[] = [];
  for (const [key, onset] of chosen) {
    const code = C.condition(key);
    let fac = pc;
    let dept = pc === "fac-08" ? "小児科" : "内科";
    if (HOSPITAL_PREFERRED.has(key) && hospital) {
      fac = hospital;
      dept = code.department;
      if (hospital === "fac-02" && ["精神科", "感染症内科", "泌尿器科"].includes(dept)) { fac = pc; dept = "内科"; }
    } else if (HOSPITAL_ONLY.has(key)) {
      chosen.delete(key);
      continue;
    } else if (ORTHO.has(key) && has("fac-04")) {
      fac = "fac-04";
      dept = "整形外科";
    } else if (pc === "fac-01" || pc === "fac-02") {
      dept = ["精神科", "感染症内科", "眼科"].includes(code.department) && pc === "fac-02" ? "内科" : code.department === "小児科" ? "内科" : code.department;
    }
    if (key === "cataract") { fac = has("fac-01") ? "fac-01" : pc; dept = fac === "fac-01" ? "眼科" : dept; }
    if (fac === "fac-08") dept = "小児科";
    plans.push({ key, onset, facilityId: fac, department: dept, drugs: drugPlan(p, rng, key, onset, age, ph) });
  }

  // condition rows; the most serious chronic one is the 主病名
  const majorKey = MAJOR_ORDER.find((k) => chosen.has(k));
  for (const pl of plans) p.condition({ key: pl.key, facilityId: pl.facilityId, at: p.visitTime(pl.onset), major: pl.key === majorKey });

  // allergy records, at the first facility that learned of them
  for (const g of allergies) {
    const a = C.allergen(g);
    p.allergy({
      facilityId: rng.pick(set.filter((f) => f !== "fac-05" && f !== "fac-09")),
      at: p.visitTime(rng.int(30, span)),
      group: g,
      severity: rng.weighted([["MILD", 35], ["MODERATE", 40], ["SEVERE", 20], ["UNKNOWN", 5]] as const),
      reaction: rng.pick(a.reactions),
    });
  }

  const body = new Body(p, ph, bodyRng);

  // chronic care, one regimen per facility+department
  const groups = new Map<string, Plan[]>();
  for (const pl of plans) {
    const k = `${pl.facilityId}|${pl.department}`;
    groups.set(k, [...(groups.get(k) ?? []), pl]);
  }
  for (const [k, group] of groups) {
    const [facilityId, department] = k.split("|") as [string, string];
    const from = Math.max(...group.map((g) => g.onset));
    const drugs = group.flatMap((g) => g.drugs);
    const keys = new Set(group.map((g) => g.key));
    const sens: Sens = group.some((g) => C.condition(g.key).sensitivity === "PSYCHIATRIC") && group.every((g) => C.condition(g.key).sensitivity !== "NORMAL" || g.drugs.length === 0)
      ? "PSYCHIATRIC"
      : "NORMAL";
    const hasAnyDrug = drugs.length > 0;
    const reason = `定期受診（${group.map((g) => C.condition(g.key).display).join("、")}）`;
    if (!hasAnyDrug && !["t2dm", "htn", "ckd", "hcv", "atopicDermatitis", "cataract"].some((x) => keys.has(x))) continue;
    if (keys.has("cataract") && keys.size === 1) continue;
    runRegimen(p, body, {
      facilityId,
      department,
      pharmacyId: pharmacy,
      from,
      gaps: department === "精神科" ? [28] : facilityId === "fac-04" ? [28, 42] : [28, 35, 42, 56],
      reason,
      sensitivity: sens,
      drugsAt: (d, i) => {
        const seen = new Set<string>();
        const orders: Order[] = [];
        for (const x of drugs) {
          if (d > x.from || (x.until !== undefined && d <= x.until)) continue;
          if (x.every && i % x.every !== 0) continue;
          if (x.months && !x.months.includes(jstMonth(p, d))) continue;
          if (seen.has(x.drug.key)) continue;
          seen.add(x.drug.key);
          orders.push({ drug: x.drug, dose: x.dose, usage: x.usage });
        }
        return orders;
      },
      labsAt: labsFor(keys),
    });
  }

  // dialysis: three times a week at the hospital, recorded monthly
  if (esrd !== undefined && hospital && ph.dialysisFrom !== undefined) {
    p.procedure({ facilityId: hospital, at: p.visitTime(ph.dialysisFrom + 7), key: "shunt", note: "左前腕 内シャント造設（局所麻酔）" });
    for (let d = ph.dialysisFrom; d > 2; d -= 30) {
      p.procedure({ facilityId: hospital, at: p.at(d, 8, 30), key: "hemodialysis", note: "週3回 4時間 HD（月間実施分）" });
      for (const key of ["cre", "bun", "k", "hb", "alb"]) p.lab({ facilityId: hospital, at: p.at(d, 8, 20), key, value: key === "cre" ? bodyRng.float(8, 11) : body.value(key, d) });
    }
  }

  // acute episodes
  const acuteRate = kid ? 0.9 : age >= 65 ? 0.3 : 0.4;
  const nAcute = Math.min(10, Math.round((span / 365) * acuteRate * rng.float(0.5, 1.5)));
  for (let i = 0; i < nAcute; i++) {
    const key = kid
      ? rng.weighted([["uri", 35], ["otitisMedia", 20], ["gastroenteritis", 20], ["influenza", 15], ["bronchitis", 10]] as const)
      : rng.weighted([["uri", 30], ["bronchitis", 14], ["gastroenteritis", 14], ["influenza", 10], ["cystitis", sex === "FEMALE" ? 10 : 1], ["zoster", age >= 50 ? 5 : 1], ["lumbago", 10], ["gastricUlcer", 4]] as const);
    let fac = key === "lumbago" && has("fac-04") ? "fac-04" : pc;
    if (has("fac-09") && rng.chance(0.4)) fac = "fac-09";
    const earliest = fac === "fac-09" ? Math.max(200, Math.min(span, 1800)) : span;
    const latest = fac === "fac-09" ? 200 : 3;
    if (earliest <= latest) continue;
    const d = rng.int(latest, earliest);
    acuteEpisode(p, rng, key, fac, d, pharmacy, kid);
  }

  // admissions
  if (admissionRoll < admissionP && hospital) admission(p, rng, body, { hospital, pc, pharmacy, span, age, kid, chosen });

  // cataract surgery (眼内レンズ) as a day case at the central hospital's ophthalmology
  const cat = chosen.get("cataract");
  if (cat !== undefined && has("fac-01") && cat > 60 && rng.chance(0.5)) {
    const d = rng.int(30, cat - 20);
    const at = p.at(d, 9, 30);
    p.encounter({ facilityId: "fac-01", at, endedAt: p.at(d, 15, 0), cls: "OUTPATIENT", department: "眼科", reason: "老人性白内障（日帰り手術）" });
    p.procedure({ facilityId: "fac-01", at: p.at(d, 11, 0), key: "iol", note: `${rng.pick(["右眼", "左眼"])} 超音波水晶体乳化吸引術＋眼内レンズ挿入（点眼・テノン嚢下麻酔）` });
  }

  // an outpatient imaging report now and then
  if (hospital && !kid && rng.chance(0.25)) {
    const d = rng.int(30, span);
    const dept = "放射線科";
    p.document({
      facilityId: hospital,
      at: p.visitTime(d),
      kind: "IMAGING_REPORT",
      title: "胸部X線検査 読影報告書",
      authorName: doctorName(hospital, dept),
      body: imagingBody({
        exam: "胸部単純X線（立位正面・側面）",
        findings: chosen.has("chf") ? "心胸郭比 58%と拡大。両側肋骨横隔膜角は鈍。肺うっ血像は軽度。" : `心胸郭比 ${rng.int(42, 49)}%。肺野に明らかな浸潤影・腫瘤影を認めない。肋骨横隔膜角は鋭。`,
        impression: chosen.has("chf") ? "心拡大、少量胸水。心不全の既往に矛盾しない。" : "明らかな異常所見なし。",
      }),
    });
  }

  // yearly checkups (特定健診 40–74, 後期高齢者健診 75+)
  if (!kid && rng.chance(0.7)) {
    const checkupFac = pc === "fac-08" ? "fac-03" : pc;
    const offset = rng.int(0, 200);
    const years = Math.floor(span / 365);
    for (let y = 0; y <= years; y++) {
      const d = y * 365 + offset + 20;
      if (d > span || d < 5) continue;
      const at = p.at(d, rng.int(8, 10), rng.int(0, 11) * 5);
      const a = p.ageAt(at);
      if (a < 40) continue;
      if (rng.chance(a >= 75 ? 0.45 : 0.15)) continue;
      const values = body.checkupValues(d);
      p.checkup({ facilityId: checkupFac, at, programme: a >= 75 ? "後期高齢者健診" : "特定健診", values });
      if (y <= 1 && rng.chance(0.5)) {
        p.document({ facilityId: checkupFac, at: new Date(at.getTime() + 14 * DAY), kind: "CHECKUP_REPORT", title: `${a >= 75 ? "後期高齢者健診" : "特定健康診査"} 結果報告書`, authorName: doctorName(checkupFac, "内科"), body: checkupReportBody(p, values, at) });
      }
    }
  }

  // links and consents
  for (const f of set) p.link(f, localId(f, no));
  const psych = [...chosen.keys()].some((k) => C.condition(k).sensitivity === "PSYCHIATRIC");
  const infect = [...chosen.keys()].some((k) => C.condition(k).sensitivity === "INFECTIOUS");
  for (const f of set) {
    const r = rng.next();
    if (r >= 0.75) continue;
    const captured = p.visitTime(rng.int(20, Math.max(21, Math.min(span, 1400))));
    const capturedById = f === "fac-09" ? "usr-doctor9" : clerkOf(f);
    const scope = r < 0.6 ? "FULL" : "EMERGENCY";
    const capturedDaysAgo = p.daysAgoOf(captured);
    const withdrawn = r >= 0.68 && r < 0.75 && capturedDaysAgo > 20 ? new Date(captured.getTime() + rng.int(10, capturedDaysAgo - 5) * DAY) : undefined;
    const withheld: Sens[] = [];
    if (psych && scope === "FULL" && rng.chance(0.4)) withheld.push("PSYCHIATRIC");
    if (infect && scope === "FULL" && rng.chance(0.25)) withheld.push("INFECTIOUS");
    p.consent({
      facilityId: f,
      scope: r >= 0.68 ? "FULL" : scope,
      capturedAt: captured,
      capturedById,
      withdrawnAt: withdrawn,
      withdrawnById: withdrawn ? capturedById : undefined,
      withheld,
      method: rng.weighted([["WRITTEN", 70], ["CARD_READER", 25], ["VERBAL_WITNESSED", 5]] as const),
      identityVerification: rng.weighted([["MYNUMBER_CARD", 75], ["INSURANCE_CARD", 22], ["OTHER", 3]] as const),
    });
  }
}

function acuteEpisode(p: PatientBuilder, rng: Rng, key: string, fac: string, d: number, pharmacy: string, kid: boolean): void {
  const dept = fac === "fac-04" ? "整形外科" : fac === "fac-08" ? "小児科" : "内科";
  const at = p.visitTime(d);
  const code = C.condition(key);
  p.encounter({ facilityId: fac, at, cls: "OUTPATIENT", department: dept, reason: code.display });
  const lasts = key === "gastricUlcer" ? rng.int(50, 70) : rng.int(5, 21);
  const ended = d - lasts > 0 ? p.at(d - lasts, 12) : undefined;
  p.condition({ key, facilityId: fac, at, endedAt: ended, outcome: "CURED", suspected: key === "gastricUlcer" && rng.chance(0.3) });
  const orders: Order[] = [];
  const add = (k: string, o: Partial<Order> = {}): void => {
    const dr = C.drug(k);
    if (p.tolerates(dr)) orders.push({ drug: dr, ...o });
  };
  let days = rng.pick([5, 7]);
  switch (key) {
    case "uri":
    case "influenza":
      if (kid) add("calonalFine20", { times: 5 });
      else {
        add("calonal500", { usage: "PRN_FEVER", times: 10 });
        if (key === "uri") add("carbocisteineSw250");
      }
      break;
    case "bronchitis": {
      if (!kid) add("carbocisteineSw250");
      const ab = kid ? undefined : pickTolerated(p, rng, ["sawacillin250", "flomox100", "cravit500"]);
      if (ab && rng.chance(0.6)) orders.push({ drug: ab });
      if (kid) add("calonalFine20", { times: 5 });
      break;
    }
    case "otitisMedia":
      add("calonalFine20", { times: 5 });
      break;
    case "gastroenteritis":
      add("miyaBm");
      break;
    case "cystitis": {
      const ab = pickTolerated(p, rng, ["cravit500", "flomox100"]);
      if (ab) orders.push({ drug: ab });
      break;
    }
    case "zoster":
      add("calonal500", { usage: "T3" });
      days = 7;
      break;
    case "lumbago": {
      const n = pickTolerated(p, rng, ["loxonin60", "loxoprofenYd60", "voltaren25"]);
      if (n) {
        orders.push({ drug: n });
        add("mucosta100");
        add("loxoninTape100");
      } else add("calonal500", { usage: "T3" });
      days = rng.pick([7, 14]);
      break;
    }
    case "gastricUlcer":
      add(rng.pick(["takepronOd15", "pariet10"]));
      add("mucosta100");
      days = 28;
      break;
    default:
      break;
  }
  if (orders.length) {
    const doctor = doctorName(fac, dept);
    const rx: RxInput = { facilityId: fac, department: dept, prescriberName: doctor, at: new Date(at.getTime() + 10 * 60_000), orders, days };
    const rxId = p.prescription(rx);
    p.dispense({ ...rx, facilityId: pharmacy, at: new Date(at.getTime() + rng.int(30, 90) * 60_000), fills: rxId });
  }
  if ((fac === "fac-01" || fac === "fac-02") && rng.chance(0.5)) {
    p.lab({ facilityId: fac, at, key: "wbc", value: rng.float(8.5, 13) });
    p.lab({ facilityId: fac, at, key: "crp", value: rng.float(0.5, 6) });
  }
}

function admission(
  p: PatientBuilder,
  rng: Rng,
  body: Body,
  x: { hospital: string; pc: string; pharmacy: string; span: number; age: number; kid: boolean; chosen: Map<string, number> },
): void {
  const { hospital, pc, age, kid, chosen } = x;
  type Kind = "pneumonia" | "cholecystitis" | "appendicitis" | "hip" | "tka" | "polyp" | "pci" | "pacemaker";
  const options: [Kind, number][] = [];
  if (kid) options.push(["appendicitis", 1]);
  else {
    options.push(["pneumonia", age >= 70 ? 35 : 10], ["cholecystitis", 15], ["appendicitis", age < 50 ? 20 : 4], ["polyp", age >= 45 ? 15 : 0]);
    if (age >= 65) options.push(["hip", age >= 75 ? 20 : 8]);
    if (chosen.has("kneeOa") && age >= 60) options.push(["tka", 40]);
    if (chosen.has("angina")) options.push(["pci", 60]);
    if (chosen.has("af") && age >= 70) options.push(["pacemaker", 40]);
  }
  const kind = rng.weighted(options.filter(([, w]) => w > 0));
  const minD = 30;
  const maxD = Math.max(minD + 1, x.span - 10);
  const d0 = rng.int(minD, maxD);
  const emergency = ["pneumonia", "cholecystitis", "appendicitis", "hip"].includes(kind);
  const spec: Record<Kind, { cond: string; dept: string; los: [number, number]; complaint: string; course: string; procs: string[]; plan: string; imaging?: [string, string, string]; path?: [string, string, string] }> = {
    pneumonia: { cond: "pneumonia", dept: "呼吸器内科", los: [7, 16], complaint: "発熱、咳嗽、呼吸困難",
      course: "入院時SpO2 90%（室内気）、胸部X線で右下肺野に浸潤影を認め市中肺炎と診断。喀痰培養を提出のうえ抗菌薬点滴を開始し、第4病日に解熱。酸素投与は第6病日に終了した。リハビリにてADLは入院前の状態まで回復。",
      procs: [], plan: "かかりつけ医での経過観察をお願いします。肺炎球菌ワクチン接種をご検討ください。",
      imaging: ["胸部単純X線・胸部CT（単純）", "右下葉に気管支透亮像を伴う浸潤影。少量の右胸水。縦隔リンパ節腫大なし。", "右下葉肺炎"] },
    cholecystitis: { cond: "acuteCholecystitis", dept: "外科", los: [6, 12], complaint: "右季肋部痛、発熱",
      course: "腹部超音波で胆嚢腫大・壁肥厚と頸部結石嵌頓を認め急性胆嚢炎（中等症）と診断。抗菌薬投与後、第2病日に腹腔鏡下胆嚢摘出術を施行。術後経過良好で第3病日より食事開始。",
      procs: ["lapChole", "generalAnesthesia"], plan: "術後1か月で当科外来を受診予定です。以後はかかりつけ医にてフォローをお願いします。",
      imaging: ["腹部超音波検査", "胆嚢は腫大し壁肥厚（6mm）、頸部に20mm大の結石嵌頓。sonographic Murphy徴候陽性。肝内胆管の拡張なし。", "急性胆嚢炎、胆嚢結石"],
      path: ["胆嚢（腹腔鏡下摘出）", "胆嚢壁は肥厚し、粘膜のびらんと好中球浸潤、壁内の出血・浮腫を認める。悪性所見なし。", "急性胆嚢炎（胆石症）、悪性所見なし"] },
    appendicitis: { cond: "appendicitis", dept: "外科", los: [3, 6], complaint: "右下腹部痛、嘔気",
      course: "McBurney点の圧痛と反跳痛、腹部CTで虫垂腫大を認め急性虫垂炎と診断。同日腹腔鏡下虫垂切除術を施行した。術後経過良好。",
      procs: ["lapAppe", "generalAnesthesia"], plan: "退院後1週間で外来にて創部を確認します。",
      imaging: ["腹部CT（単純）", "虫垂は径11mmに腫大し周囲脂肪織濃度の上昇を伴う。糞石あり。遊離ガスなし。", "急性虫垂炎"],
      path: ["虫垂", "虫垂全層に好中球浸潤を認め、粘膜は広範に壊死。悪性所見なし。", "急性蜂窩織炎性虫垂炎"] },
    hip: { cond: "hipFracture", dept: "整形外科", los: [18, 32], complaint: "自宅で転倒後の右股関節痛、歩行不能",
      course: "右大腿骨頚部骨折（Garden III）と診断し、入院第3病日に手術を施行。術後翌日より離床、リハビリを継続し杖歩行で退院となった。",
      procs: [rng.chance(0.6) ? "bhp" : "femurOrif", "spinalAnesthesia"], plan: "骨粗鬆症治療の継続をお願いします。転倒予防の環境調整を指導しました。",
      imaging: ["右股関節単純X線", "右大腿骨頚部に転位を伴う骨折線を認める（Garden分類III）。", "右大腿骨頚部骨折"] },
    tka: { cond: "kneeOa", dept: "整形外科", los: [14, 24], complaint: "右膝痛、歩行時痛の増悪",
      course: "保存療法に抵抗性の右変形性膝関節症（K-L分類IV）に対し人工膝関節置換術を施行。術後CPMおよび歩行訓練を行い、T字杖歩行自立で退院。",
      procs: ["tka", "generalAnesthesia"], plan: "術後3か月、1年で外来にてX線評価を行います。" },
    polyp: { cond: "colonPolyp", dept: "消化器内科", los: [1, 2], complaint: "便潜血陽性（検診）",
      course: "下部消化管内視鏡検査で横行結腸に12mm大の亜有茎性ポリープを認め、内視鏡的粘膜切除術を施行。後出血なく翌日退院。",
      procs: ["polypectomy"], plan: "病理結果を外来で説明します。1年後に再検をお勧めします。",
      path: ["横行結腸ポリープ（EMR）", "管状構造を呈する腺腫。軽度異型。断端陰性。", "Tubular adenoma, low grade、断端陰性"] },
    pci: { cond: "angina", dept: "循環器内科", los: [3, 5], complaint: "労作時胸痛",
      course: "冠動脈造影で左前下行枝#7に90%狭窄を認め、同部位に薬剤溶出性ステントを留置した。合併症なく経過。",
      procs: ["pci"], plan: "抗血小板薬2剤併用を少なくとも6か月継続してください。自己判断で中止しないよう指導済みです。" },
    pacemaker: { cond: "af", dept: "循環器内科", los: [6, 9], complaint: "めまい、失神",
      course: "徐脈頻脈症候群（最大RR間隔6秒）による失神と診断し、恒久的ペースメーカー植込み術を施行。創部に問題なく退院。",
      procs: ["pacemaker"], plan: "ペースメーカー手帳を交付しました。MRI検査の際は事前にご連絡ください。半年ごとにチェックを行います。" },
  };
  const s = spec[kind];
  const dept = hospital === "fac-02" && !["外科", "整形外科", "循環器内科", "呼吸器内科", "消化器内科", "内科"].includes(s.dept) ? "内科" : s.dept;
  const los = Math.min(rng.int(s.los[0], s.los[1]), d0 - 1);
  const admit = emergency ? p.at(d0, rng.int(10, 22), rng.int(0, 11) * 5) : p.at(d0, 10, 0);
  const discharge = p.at(d0 - los, 11, 0);
  const doctor = doctorName(hospital, dept);

  // planned admissions come with a referral letter from the clinic
  if (!emergency && pc !== hospital && (pc === "fac-03" || pc === "fac-08")) {
    p.document({
      facilityId: pc, at: p.visitTime(d0 + rng.int(10, 30)), kind: "REFERRAL", title: "診療情報提供書",
      authorName: doctorName(pc, pc === "fac-08" ? "小児科" : "内科"), recipient: `${facility(hospital).name} ${dept} 御侍史`,
      body: referralBody({
        purpose: `${s.complaint}について精査・加療をお願いいたします。`,
        diagnoses: [C.condition(s.cond).display, ...[...chosen.keys()].filter((k) => C.condition(k).chronic && C.condition(k).sensitivity === "NORMAL").slice(0, 3).map((k) => C.condition(k).display)],
        history: [],
        allergies: [...p.allergyGroups].map((g) => C.allergen(g).display),
        course: "当院にて経過をみておりましたが、症状が持続するため貴院での専門的な評価が必要と判断いたしました。",
        meds: [],
      }),
    });
  }
  if (emergency) p.encounter({ facilityId: hospital, at: admit, cls: "EMERGENCY", department: "救急科", reason: s.complaint });
  p.encounter({ facilityId: hospital, at: new Date(admit.getTime() + 90 * 60_000), cls: "INPATIENT", department: dept, reason: C.condition(s.cond).display, endedAt: discharge });
  if (!chosen.has(s.cond)) p.condition({ key: s.cond, facilityId: hospital, at: admit, endedAt: C.condition(s.cond).chronic ? undefined : discharge, outcome: "CURED" });

  // admission labs
  const infl = kind === "pneumonia" || kind === "cholecystitis" || kind === "appendicitis";
  for (const key of ["wbc", "hb", "plt", "crp", "ast", "alt", "cre", "egfr", "na", "k", "alb"]) {
    let v = body.value(key, d0);
    if (infl && key === "wbc") v = rng.float(11, 17);
    if (infl && key === "crp") v = rng.float(5, 18);
    if (kind === "cholecystitis" && (key === "ast" || key === "alt")) v = rng.float(60, 180);
    p.lab({ facilityId: hospital, at: new Date(admit.getTime() + 30 * 60_000), key, value: v });
  }
  if (infl && los > 3) for (const key of ["wbc", "crp"]) p.lab({ facilityId: hospital, at: p.at(d0 - Math.min(los - 1, 4), 6, 30), key, value: key === "wbc" ? rng.float(6, 9) : rng.float(0.5, 2.5) });

  const procDay = p.at(d0 - Math.min(los - 1, kind === "hip" ? 2 : kind === "cholecystitis" ? 1 : 0), 13, 0);
  const procNames: string[] = [];
  for (const k of s.procs) {
    p.procedure({ facilityId: hospital, at: procDay, key: k });
    procNames.push(C.procedure(k).display);
  }
  if ((kind === "hip" && rng.chance(0.5)) || (kind === "tka" && rng.chance(0.3)) || (kind === "cholecystitis" && rng.chance(0.1))) {
    p.procedure({ facilityId: hospital, at: new Date(procDay.getTime() + 2 * 3_600_000), key: "rbcTransfusion", note: "Ir-RBC-LR 2単位。輸血副反応なし。" });
    procNames.push("赤血球液輸血 2単位");
  }
  if (s.imaging) {
    p.document({ facilityId: hospital, at: new Date(admit.getTime() + 60 * 60_000), kind: "IMAGING_REPORT", title: `${s.imaging[0]} 読影報告書`, authorName: doctorName(hospital, "放射線科"),
      body: imagingBody({ exam: s.imaging[0], findings: s.imaging[1], impression: s.imaging[2] }) });
  }
  if (s.path) {
    p.document({ facilityId: hospital, at: p.at(Math.max(1, d0 - los + 3), 15, 0), kind: "PATHOLOGY_REPORT", title: "病理組織診断報告書", authorName: doctorName(hospital, "病理診断科"),
      body: pathologyBody({ specimen: s.path[0], findings: s.path[1], diagnosis: s.path[2] }) });
  }
  // discharge prescription
  const dischargeOrders: Order[] = [];
  if (kind === "hip") { dischargeOrders.push({ drug: C.drug("calonal500"), usage: "T3" }); dischargeOrders.push({ drug: C.drug("edirol0_75") }); }
  if (kind === "pneumonia") { const ab = pickTolerated(p, rng, ["cravit500", "sawacillin250"]); if (ab) dischargeOrders.push({ drug: ab }); }
  if (kind === "pci") { dischargeOrders.push({ drug: C.drug("bayaspirin100") }, { drug: C.drug("plavix75") }, { drug: C.drug("takepronOd15") }); }
  if (kind === "cholecystitis" || kind === "appendicitis" || kind === "tka") dischargeOrders.push({ drug: C.drug("calonal500"), usage: "PRN_PAIN", times: 10 });
  if (dischargeOrders.length) {
    const rx: RxInput = { facilityId: hospital, department: dept, prescriberName: doctor, at: new Date(discharge.getTime() - 30 * 60_000), orders: dischargeOrders, days: kind === "pci" ? 28 : 7 };
    const rxId = p.prescription(rx);
    p.dispense({ ...rx, facilityId: x.pharmacy, at: new Date(discharge.getTime() + 60 * 60_000), fills: rxId });
  }
  p.document({
    facilityId: hospital, at: discharge, kind: "DISCHARGE_SUMMARY", title: "退院時サマリー", authorName: doctor,
    body: dischargeBody({ admit, discharge, dx: C.condition(s.cond).display, complaint: s.complaint, course: s.course, procedures: procNames, meds: dischargeOrders.map(orderLine), plan: s.plan }),
  });
  if (pc !== hospital && (pc === "fac-03" || pc === "fac-08")) {
    p.document({
      facilityId: hospital, at: new Date(discharge.getTime() + 3_600_000), kind: "REFERRAL", title: "診療情報提供書（返書）", authorName: doctor,
      recipient: `${facility(pc).name} ${doctorName(pc, pc === "fac-08" ? "小児科" : "内科")} 先生 御侍史`,
      body: referralBody({
        purpose: "退院のご報告と今後の診療のお願い",
        diagnoses: [C.condition(s.cond).display],
        history: [],
        allergies: [...p.allergyGroups].map((g) => C.allergen(g).display),
        course: `${jpDate(admit)}に入院、${procNames.length ? `${procNames.join("・")}を施行し、` : ""}${jpDate(discharge)}に退院されました。${s.plan}`,
        meds: dischargeOrders.map(orderLine),
        closing: "今後ともよろしくお願い申し上げます。",
      }),
    });
  }
}

// =============================================================================================
// Showcase patients (hand-written, always present; README and tests describe them)

function showcase(rows: Rows, now: Date, x: {
  id: string; familyName: string; givenName: string; familyNameKana: string; givenNameKana: string; sex: Sex; birth: [number, number, number];
  insurerNumber: string; insuredSymbol: string | null; insuredNumber: string; insuredBranch?: string; postalCode: string; address: string; phone: string;
}): PatientBuilder {
  const birth = new Date(Date.UTC(x.birth[0], x.birth[1] - 1, x.birth[2]));
  rows.patients.push({
    id: x.id, familyName: x.familyName, givenName: x.givenName, familyNameKana: x.familyNameKana, givenNameKana: x.givenNameKana, sex: x.sex, birthDate: birth,
    insurerNumber: x.insurerNumber, insuredSymbol: x.insuredSymbol, insuredNumber: x.insuredNumber, insuredBranch: x.insuredBranch ?? null, postalCode: x.postalCode, address: x.address, phone: x.phone,
  });
  return new PatientBuilder(rows, x.id, x.sex, birth, now, new Rng(x.id));
}

/** pat-0001 山田 太郎: the main demo record, ten years across a clinic, two hospitals and a pharmacy. */
function yamadaTaro(rows: Rows, now: Date): void {
  const p = showcase(rows, now, {
    id: "pat-0001", familyName: "山田", givenName: "太郎", familyNameKana: "ヤマダ", givenNameKana: "タロウ", sex: "MALE", birth: [1958, 4, 12],
    insurerNumber: LATE_ELDERLY_INSURER, insuredSymbol: null, insuredNumber: "00123456", postalCode: "422-8006", address: "静岡県静岡市駿河区曲金3-4-12", phone: "054-281-4321",
  });
  const rng = p.rng;
  for (const f of ["fac-01", "fac-02", "fac-03", "fac-06"]) p.link(f, localId(f, 1));
  p.consent({ facilityId: "fac-01", scope: "FULL", capturedAt: p.at(1100, 10, 20), capturedById: "usr-clerk1" });
  p.consent({ facilityId: "fac-03", scope: "FULL", capturedAt: p.at(1300, 9, 40), capturedById: "usr-clerk3" });
  p.consent({ facilityId: "fac-06", scope: "FULL", capturedAt: p.at(1250, 11, 5), capturedById: "usr-clerk6" });

  // the numbers are fictitious (090-0000-…)
  p.contacts("fac-02", [
    { kind: "PHONE", code: "PRN", phone: "054-281-4321" },
    { kind: "PHONE", code: "EMR", phone: "090-0000-4812" },
    { kind: "NEXT_OF_KIN", code: "SPO", text: "配偶者", name: "山田 花子", nameKana: "ヤマダ ハナコ", phone: "090-0000-4812", address: "〒422-8006 静岡県静岡市駿河区曲金3-4-12" },
    { kind: "NEXT_OF_KIN", code: "CHD", text: "子", name: "山田 健一", nameKana: "ヤマダ ケンイチ", phone: "090-0000-7730", address: "〒420-0853 静岡県静岡市葵区追手町9-6" },
    { kind: "INSURANCE", code: "39", text: "後期高齢者医療", insurerNumber: LATE_ELDERLY_INSURER, insuredRelation: "SEL", validFrom: "2023-04-12" },
  ]);
  p.allergy({ facilityId: "fac-03", at: p.at(3400, 10, 0), group: "PENICILLIN", severity: "SEVERE", reaction: "アナフィラキシー（アモキシシリン内服30分後に呼吸困難・血圧低下、救急搬送歴あり）" });
  p.allergy({ facilityId: "fac-03", at: p.at(2000, 10, 30), group: "BUCKWHEAT", severity: "MODERATE", reaction: "そば摂取後の全身蕁麻疹・喉頭違和感" });
  p.allergy({ facilityId: "fac-02", at: p.at(738, 21, 10), group: "IODINE_CONTRAST", severity: "SEVERE", reaction: "造影CT直後に全身蕁麻疹・血圧低下（ヨード造影剤は使用禁忌）" });

  const ph: Physiology = {
    dm: { onset: 3600, peak: 8.9, target: 6.9, worsenFrom: 540, worsenRate: 0.45 },
    ldl: { base: 178, statinFrom: 2900, treated: 104 }, hdl: 44, tg: 165,
    egfrNow: 57, egfrSlope: 1.6,
    sbp: { base: 158, treatedFrom: 3300, treated: 136 },
    hepatitis: { treatedFrom: 2150 }, drinker: false,
    ua: { base: 6.4 }, hb: 14.6, height: 168.2, bmi: 25.8,
  };
  const body = new Body(p, ph, rng.fork("body"));

  p.condition({ key: "t2dm", facilityId: "fac-03", at: p.at(3600, 10, 0), major: true });
  p.condition({ key: "htn", facilityId: "fac-03", at: p.at(3300, 10, 0) });
  p.condition({ key: "dyslipidemia", facilityId: "fac-03", at: p.at(2950, 10, 0) });
  p.condition({ key: "hbv", facilityId: "fac-01", at: p.at(2250, 11, 0) });
  p.condition({ key: "ckd", facilityId: "fac-03", at: p.at(700, 10, 0) });
  p.condition({ key: "angina", facilityId: "fac-01", at: p.at(330, 11, 0), suspected: true });

  const dmMeds = (d: number): Order[] => {
    const o: Order[] = [{ drug: C.drug("metgluco250"), dose: 2 }];
    if (d <= 2400) o.push({ drug: C.drug("januvia50") });
    if (d <= 3300) o.push({ drug: C.drug("blopress8") });
    if (d <= 2900) o.push({ drug: C.drug("crestor2_5") });
    return o;
  };
  runRegimen(p, body, {
    facilityId: "fac-03", department: "内科", pharmacyId: "fac-06", from: 3600, last: 12, lastSupply: 56, gaps: [56],
    reason: "定期受診（2型糖尿病、本態性高血圧症、脂質異常症）",
    drugsAt: dmMeds,
    labsAt: (_d, i) => (i % 2 === 0 ? ["hba1c", "cre", "egfr", "ldl"] : ["hba1c"]),
  });
  runRegimen(p, body, {
    facilityId: "fac-01", department: "消化器内科", pharmacyId: "fac-06", from: 2150, last: 20, lastSupply: 56, gaps: [56],
    reason: "定期受診（B型慢性肝炎）", sensitivity: "INFECTIOUS",
    drugsAt: () => [{ drug: C.drug("baraclude0_5") }],
    labsAt: (_d, i) => (i % 4 === 0 ? ["ast", "alt", "plt", "hba1c", "egfr", "ldl"] : i % 2 === 0 ? ["ast", "alt"] : []),
  });
  runRegimen(p, body, {
    facilityId: "fac-01", department: "循環器内科", pharmacyId: "fac-06", from: 330, last: 26, lastSupply: 56, gaps: [56],
    reason: "狭心症の疑い 経過観察",
    drugsAt: (_d, i) => [{ drug: C.drug("bayaspirin100") }, { drug: C.drug("takepronOd15") }, ...(i % 3 === 0 ? [{ drug: C.drug("nitropen"), times: 10 }] : [])],
    labsAt: () => ["egfr", "hba1c", "ldl"],
  });

  // 急性気管支炎 three years ago (ペニシリン系は禁忌のためニューキノロン)
  acuteCourse(p, { facilityId: "fac-03", department: "内科", pharmacyId: "fac-06", key: "bronchitis", daysAgo: 1100, lasts: 12,
    orders: [{ drug: C.drug("carbocisteineSw250") }, { drug: C.drug("cravit500") }], days: 5 });

  // 急性胆嚢炎 → 腹腔鏡下胆嚢摘出術 at しずおか市民病院 about two years ago
  const admit = p.at(738, 20, 30);
  const discharge = p.at(729, 11, 0);
  p.encounter({ facilityId: "fac-02", at: admit, cls: "EMERGENCY", department: "救急科", reason: "右季肋部痛、発熱（38.6℃）" });
  p.encounter({ facilityId: "fac-02", at: p.at(738, 23, 0), cls: "INPATIENT", department: "外科", reason: "急性胆嚢炎", endedAt: discharge });
  p.condition({ key: "acuteCholecystitis", facilityId: "fac-02", at: admit, endedAt: discharge, outcome: "CURED" });
  p.condition({ key: "gallstone", facilityId: "fac-02", at: admit, endedAt: discharge, outcome: "CURED" });
  const admLabs: [string, number][] = [["wbc", 14.2], ["crp", 12.5], ["ast", 112], ["alt", 135], ["hb", 14.1], ["plt", 19.8], ["cre", 1.12], ["egfr", 51.6], ["na", 138], ["k", 4.3], ["alb", 3.9]];
  for (const [key, value] of admLabs) p.lab({ facilityId: "fac-02", at: p.at(738, 20, 50), key, value });
  for (const [key, value] of [["wbc", 9.6], ["crp", 6.1], ["hb", 11.4]] as [string, number][]) p.lab({ facilityId: "fac-02", at: p.at(735, 6, 30), key, value });
  for (const [key, value] of [["wbc", 6.8], ["crp", 0.9], ["hb", 12.0]] as [string, number][]) p.lab({ facilityId: "fac-02", at: p.at(730, 6, 30), key, value });
  p.document({
    facilityId: "fac-02", at: p.at(738, 22, 15), kind: "IMAGING_REPORT", title: "腹部造影CT 読影報告書", authorName: doctorName("fac-02", "放射線科"),
    body: imagingBody({
      exam: "腹部CT（単純＋造影）",
      findings: "胆嚢は腫大し壁は全周性に肥厚（7mm）、周囲脂肪織の濃度上昇を伴う。胆嚢頸部に18mm大の結石が嵌頓。総胆管の拡張なし。肝・膵に特記所見なし。\n※造影剤投与直後に全身蕁麻疹、血圧低下（78/46mmHg）を認め、アドレナリン0.3mg筋注にて改善。以後ヨード造影剤は使用禁忌。",
      impression: "急性胆嚢炎（胆嚢頸部結石嵌頓）。造影剤による即時型副作用。",
    }),
  });
  p.procedure({ facilityId: "fac-02", at: p.at(736, 13, 0), key: "lapChole", note: "癒着高度。手術時間 2時間35分、出血量 420mL。" });
  p.procedure({ facilityId: "fac-02", at: p.at(736, 12, 40), key: "generalAnesthesia", note: "気管挿管。麻酔時間 3時間10分。" });
  p.procedure({ facilityId: "fac-02", at: p.at(736, 15, 30), key: "rbcTransfusion", note: "術中出血に対し Ir-RBC-LR 2単位。輸血副反応なし。" });
  p.document({
    facilityId: "fac-02", at: p.at(732, 15, 0), kind: "PATHOLOGY_REPORT", title: "病理組織診断報告書", authorName: doctorName("fac-02", "病理診断科"),
    body: pathologyBody({ specimen: "胆嚢（腹腔鏡下摘出）", findings: "胆嚢壁は肥厚し、粘膜びらん、壁全層性の好中球浸潤と出血・浮腫を認める。コレステロール結石（18mm）1個。悪性所見なし。", diagnosis: "急性胆嚢炎（胆石症）、悪性所見なし" }),
  });
  const dischargeRx: RxInput = { facilityId: "fac-02", department: "外科", prescriberName: doctorName("fac-02", "外科"), at: p.at(729, 10, 30), orders: [{ drug: C.drug("calonal500"), usage: "PRN_PAIN", times: 10 }], days: 7 };
  const dischargeRxId = p.prescription(dischargeRx);
  p.dispense({ ...dischargeRx, facilityId: "fac-06", at: p.at(729, 12, 10), prescriberName: dischargeRx.prescriberName, fills: dischargeRxId });
  p.document({
    facilityId: "fac-02", at: discharge, kind: "DISCHARGE_SUMMARY", title: "退院時サマリー", authorName: doctorName("fac-02", "外科"),
    body: dischargeBody({
      admit, discharge, dx: "急性胆嚢炎（中等症）、胆嚢結石症", complaint: "右季肋部痛、発熱",
      course: "前日夜からの右季肋部痛で救急搬送。WBC 14,200/μL、CRP 12.5mg/dL。造影CTで急性胆嚢炎と診断（造影剤で即時型副作用あり、ヨード造影剤禁忌として登録）。ペニシリン系アレルギーのため抗菌薬はメロペネムを選択して開始し、第3病日に腹腔鏡下胆嚢摘出術を施行。術中出血420mLに対し赤血球液2単位を輸血。術後経過良好で第10病日に退院。入院中はメトホルミンを休薬し、インスリンで血糖管理を行った。",
      procedures: ["腹腔鏡下胆嚢摘出術（K672-2）", "全身麻酔", "赤血球液輸血 2単位"],
      meds: [orderLine({ drug: C.drug("calonal500"), usage: "PRN_PAIN" })],
      plan: "メトホルミンは退院翌日から再開可。術後1か月で当科外来受診。糖尿病・高血圧はみなみ内科クリニックで継続加療をお願いします。ヨード造影剤は今後使用しないでください。",
    }),
  });

  // referral from the clinic to the hospital's cardiology about a year ago, and the reply
  const refAt = p.at(365, 16, 30);
  p.document({
    facilityId: "fac-03", at: refAt, kind: "REFERRAL", title: "診療情報提供書", authorName: doctorName("fac-03", "内科"),
    recipient: "つなぐ中央病院 循環器内科 中村 健一 先生 御侍史",
    body: referralBody({
      purpose: "労作時の胸部圧迫感について、狭心症の精査・加療をお願いいたします。",
      diagnoses: ["狭心症の疑い", "2型糖尿病", "本態性高血圧症", "脂質異常症", "慢性腎臓病（G3a）"],
      history: ["B型慢性肝炎（貴院消化器内科にてエンテカビル内服中）", `急性胆嚢炎にて腹腔鏡下胆嚢摘出術（${jpMonth(admit)}、しずおか市民病院）`],
      allergies: ["ペニシリン系抗菌薬（アナフィラキシー）", "ヨード造影剤（即時型副作用、使用禁忌）", "そば"],
      course: `${jpMonth(p.at(3600))}より2型糖尿病、高血圧症、脂質異常症にて当院通院中です。HbA1cは7％前後で推移しておりましたが、最近は${round(body.hba1c(380), 1)}％とやや上昇傾向です。1か月ほど前から坂道や階段を上る際に前胸部の圧迫感が2〜3分持続し、安静で軽快するとのことです。安静時心電図では明らかなST変化を認めませんでした。ヨード造影剤が禁忌のため、冠動脈CT以外の方法でのご評価をお願いできれば幸いです。`,
      meds: dmMeds(365).map(orderLine),
    }),
  });
  p.document({
    facilityId: "fac-01", at: p.at(328, 14, 0), kind: "IMAGING_REPORT", title: "心臓超音波検査 報告書", authorName: doctorName("fac-01", "循環器内科"),
    body: imagingBody({
      exam: "経胸壁心臓超音波検査",
      findings: "LVDd 48mm、LVDs 31mm、IVS 11mm、PW 11mm、LVEF 62%（modified Simpson）。局所壁運動異常なし。軽度の求心性左室肥大。弁膜症なし。E/e' 11。下大静脈径 14mm、呼吸性変動良好。",
      impression: "左室収縮能は保たれ、明らかな虚血を示唆する壁運動異常なし。軽度左室肥大（高血圧性変化）。",
    }),
  });
  p.document({
    facilityId: "fac-01", at: p.at(320, 17, 0), kind: "REFERRAL", title: "診療情報提供書（返書）", authorName: doctorName("fac-01", "循環器内科"),
    recipient: "みなみ内科クリニック 南 雅之 先生 御侍史",
    body: referralBody({
      purpose: "ご紹介いただいた患者様の検査結果のご報告",
      diagnoses: ["狭心症の疑い"],
      history: [],
      allergies: ["ペニシリン系抗菌薬", "ヨード造影剤", "そば"],
      course: "運動負荷心電図ではBruce 3段階で有意なST低下を認めず、心臓超音波検査でも壁運動異常はありませんでした。ヨード造影剤禁忌のため冠動脈CTは施行しておりません。症状からは安定狭心症を否定しきれないため、アスピリンと頓用ニトログリセリンを開始し、2か月ごとに当科で経過をみます。胸痛の増悪時は速やかに当院救急外来を受診するようお伝えしました。",
      meds: [orderLine({ drug: C.drug("bayaspirin100") }), orderLine({ drug: C.drug("takepronOd15") }), orderLine({ drug: C.drug("nitropen") })],
      closing: "今後とも糖尿病・高血圧の管理をよろしくお願い申し上げます。",
    }),
  });

  // 特定健診 every year at the clinic
  for (let y = 0; y < 10; y++) {
    const d = 60 + y * 365 + rng.int(0, 6);
    const at = p.at(d, 9, 0);
    const values = body.checkupValues(d, { worse: y < 2 });
    p.checkup({ facilityId: "fac-03", at, programme: "特定健診", values });
    if (y < 2) p.document({ facilityId: "fac-03", at: p.at(d - 14, 15, 0), kind: "CHECKUP_REPORT", title: "特定健康診査 結果報告書", authorName: doctorName("fac-03", "内科"), body: checkupReportBody(p, values, at) });
  }
}

/** pat-0002 佐藤 花子: the pharmacist demo — amlodipine from two prescribers, an NSAID despite an NSAID allergy. */
function satoHanako(rows: Rows, now: Date): void {
  const p = showcase(rows, now, {
    id: "pat-0002", familyName: "佐藤", givenName: "花子", familyNameKana: "サトウ", givenNameKana: "ハナコ", sex: "FEMALE", birth: [1949, 9, 3],
    insurerNumber: LATE_ELDERLY_INSURER, insuredSymbol: null, insuredNumber: "00234567", postalCode: "420-0882", address: "静岡県静岡市葵区安東2-15-8", phone: "054-246-1187",
  });
  const rng = p.rng;
  for (const f of ["fac-01", "fac-03", "fac-04", "fac-06", "fac-07"]) p.link(f, localId(f, 2));
  p.consent({ facilityId: "fac-01", scope: "FULL", capturedAt: p.at(900, 10, 0), capturedById: "usr-clerk1" });
  p.consent({ facilityId: "fac-03", scope: "FULL", capturedAt: p.at(1200, 9, 30), capturedById: "usr-clerk3", withheld: ["PSYCHIATRIC"] });
  p.consent({ facilityId: "fac-06", scope: "FULL", capturedAt: p.at(1000, 11, 0), capturedById: "usr-clerk6" });
  p.consent({ facilityId: "fac-07", scope: "FULL", capturedAt: p.at(400, 15, 20), capturedById: "usr-clerk7" });

  p.allergy({ facilityId: "fac-03", at: p.at(2500, 10, 0), group: "NSAIDS", severity: "MODERATE", reaction: "ロキソプロフェン内服後の蕁麻疹・眼瞼浮腫" });

  const ph: Physiology = {
    ldl: { base: 132 }, hdl: 62, tg: 110, egfrNow: 52, egfrSlope: 1.0,
    sbp: { base: 164, treatedFrom: 2900, treated: 138 }, drinker: false,
    ua: { base: 5.1 }, hb: 12.4, height: 149.5, bmi: 23.5,
  };
  const body = new Body(p, ph, rng.fork("body"));

  p.condition({ key: "htn", facilityId: "fac-03", at: p.at(2900, 10, 0), major: true });
  p.condition({ key: "kneeOa", facilityId: "fac-04", at: p.at(1500, 10, 0) });
  p.condition({ key: "osteoporosis", facilityId: "fac-04", at: p.at(1200, 10, 0) });
  p.condition({ key: "depression", facilityId: "fac-01", at: p.at(900, 14, 0) });
  p.condition({ key: "insomnia", facilityId: "fac-01", at: p.at(900, 14, 0) });

  // ER visit for a hypertensive surge; the hospital adds amlodipine without knowing the clinic's
  p.encounter({ facilityId: "fac-01", at: p.at(205, 21, 40), cls: "EMERGENCY", department: "救急科", reason: "頭痛、血圧上昇（212/108mmHg）" });
  for (const [key, value] of [["cre", 0.86], ["egfr", 48.7], ["na", 140], ["k", 4.1], ["hb", 12.1]] as [string, number][]) p.lab({ facilityId: "fac-01", at: p.at(205, 22, 0), key, value });
  p.condition({ key: "htn", facilityId: "fac-01", at: p.at(205, 22, 30) });

  runRegimen(p, body, {
    facilityId: "fac-03", department: "内科", pharmacyId: "fac-07", from: 2900, last: 5, lastSupply: 56, gaps: [56], nextDayDispense: 0.5,
    reason: "定期受診（本態性高血圧症）",
    drugsAt: (d) => [{ drug: C.drug("amlodin5") }, ...(d <= 1800 ? [{ drug: C.drug("blopress8") }] : [])],
    labsAt: (_d, i) => (i % 3 === 0 ? ["cre", "egfr", "k", "na"] : []),
  });
  runRegimen(p, body, {
    facilityId: "fac-01", department: "循環器内科", pharmacyId: "fac-06", from: 198, last: 10, lastSupply: 28, gaps: [28, 56], nextDayDispense: 0,
    reason: "高血圧症 フォローアップ（救急外来受診後）",
    drugsAt: () => [{ drug: C.drug("norvasc5") }],
    labsAt: () => ["cre", "egfr", "k", "na", "hb"],
  });
  runRegimen(p, body, {
    facilityId: "fac-01", department: "精神科", pharmacyId: "fac-06", from: 900, last: 14, lastSupply: 28, gaps: [28], sensitivity: "PSYCHIATRIC",
    reason: "定期受診（うつ病）",
    drugsAt: (d) => [{ drug: C.drug("jzoloft25"), dose: d > 700 ? 1 : 2 }, { drug: C.drug("myslee5") }],
  });
  runRegimen(p, body, {
    facilityId: "fac-04", department: "整形外科", pharmacyId: "fac-07", from: 1500, last: 8, lastSupply: 28, gaps: [28, 42], ignoreAllergies: true,
    reason: "定期受診（変形性膝関節症、骨粗鬆症）",
    drugsAt: (d) => [
      { drug: C.drug("loxoprofenYd60") }, { drug: C.drug("loxoninTape100") },
      ...(d <= 1200 ? [{ drug: C.drug("edirol0_75") }, { drug: C.drug("bonalon35") }] : []),
    ],
  });

  for (let y = 0; y < 10; y++) {
    const d = 120 + y * 365 + rng.int(0, 6);
    const at = p.at(d, 9, 30);
    const a = p.ageAt(at);
    p.checkup({ facilityId: "fac-03", at, programme: a >= 75 ? "後期高齢者健診" : "特定健診", values: body.checkupValues(d) });
  }

  // Before the hospital's psychiatry, a year at a psychiatric clinic, recorded as 内科 with a G47.0:
  // only the facility's kind says it is psychiatric care (and its name, in her header).
  p.link("fac-10", localId("fac-10", 2));
  p.condition({ key: "insomnia", facilityId: "fac-10", at: p.at(1300, 10, 0), endedAt: p.at(940, 12), outcome: "TRANSFERRED" });
  runRegimen(p, body, {
    facilityId: "fac-10", department: "内科", pharmacyId: "fac-07", from: 1300, until: 940, gaps: [28],
    reason: "定期受診（不眠症）",
    drugsAt: () => [{ drug: C.drug("myslee5") }],
  });
}

/** pat-0003 鈴木 一郎: no consent anywhere — the break-glass demo; on dialysis, severe cephem allergy. */
function suzukiIchiro(rows: Rows, now: Date): void {
  const p = showcase(rows, now, {
    id: "pat-0003", familyName: "鈴木", givenName: "一郎", familyNameKana: "スズキ", givenNameKana: "イチロウ", sex: "MALE", birth: [1972, 1, 20],
    insurerNumber: insurerNumber("0122001"), insuredSymbol: "2104518", insuredNumber: "37", postalCode: "424-0886", address: "静岡県静岡市清水区草薙1-22-5", phone: "090-3821-5547",
  });
  const rng = p.rng;
  for (const f of ["fac-02", "fac-04", "fac-07"]) p.link(f, localId(f, 3));

  p.allergy({ facilityId: "fac-02", at: p.at(2600, 11, 0), group: "CEPHEM", severity: "SEVERE", reaction: "セフカペン内服後のスティーブンス・ジョンソン症候群（入院加療歴）" });
  p.allergy({ facilityId: "fac-02", at: p.at(790, 10, 0), group: "LATEX", severity: "MODERATE", reaction: "ラテックス手袋による接触蕁麻疹" });

  const ph: Physiology = {
    dm: { onset: 3500, peak: 9.6, target: 7.6 },
    ldl: { base: 128 }, hdl: 41, tg: 190, egfrNow: 6, egfrSlope: 4.2, dialysisFrom: 775,
    sbp: { base: 168, treatedFrom: 3300, treated: 146 }, drinker: false,
    ua: { base: 8.8, treatedFrom: 1500, treated: 6.3 }, hb: 11.6, height: 171, bmi: 24.5,
  };
  const body = new Body(p, ph, rng.fork("body"));

  p.condition({ key: "t2dm", facilityId: "fac-02", at: p.at(3500, 10, 0) });
  p.condition({ key: "htn", facilityId: "fac-02", at: p.at(3300, 10, 0) });
  p.condition({ key: "hyperuricemia", facilityId: "fac-02", at: p.at(1500, 10, 0) });
  p.condition({ key: "esrd", facilityId: "fac-02", at: p.at(800, 10, 0), major: true });
  p.condition({ key: "lumbago", facilityId: "fac-04", at: p.at(400, 16, 0) });

  runRegimen(p, body, {
    facilityId: "fac-02", department: "腎臓内科", pharmacyId: "fac-07", from: 3500, last: 6, lastSupply: 28, gaps: [28, 56],
    reason: "定期受診（糖尿病性腎症、本態性高血圧症）",
    drugsAt: (d) => [
      ...(d > 800 ? [{ drug: C.drug("januvia50") }] : []),
      { drug: C.drug("amlodin5") },
      ...(d <= 1500 ? [{ drug: C.drug("maintate2_5") }, { drug: C.drug("feburic20") }] : []),
      ...(d <= 800 ? [{ drug: C.drug("takepronOd15") }] : []),
    ],
    labsAt: (d, i) => (d > 800 ? (i % 2 === 0 ? ["hba1c", "cre", "egfr", "k", "hb"] : ["hba1c"]) : []),
  });

  // 透析導入入院
  const admit = p.at(795, 10, 0);
  const discharge = p.at(770, 11, 0);
  p.encounter({ facilityId: "fac-02", at: admit, cls: "INPATIENT", department: "腎臓内科", reason: "末期腎不全（血液透析導入）", endedAt: discharge });
  p.procedure({ facilityId: "fac-02", at: p.at(790, 13, 0), key: "shunt", note: "左前腕 内シャント造設（局所麻酔）" });
  for (const [key, value] of [["cre", 8.9], ["bun", 92], ["k", 5.8], ["hb", 8.7], ["alb", 3.4], ["egfr", 6.0]] as [string, number][]) p.lab({ facilityId: "fac-02", at: p.at(795, 10, 30), key, value });
  for (let d = 775; d > 2; d -= 30) {
    p.procedure({ facilityId: "fac-02", at: p.at(d, 8, 30), key: "hemodialysis", note: "週3回（月・水・金）4時間 HD、ドライウェイト 66.5kg" });
    for (const key of ["cre", "bun", "k", "hb", "alb"]) p.lab({ facilityId: "fac-02", at: p.at(d, 8, 20), key, value: key === "cre" ? rng.float(8.5, 11) : body.value(key, d) });
  }
  p.document({
    facilityId: "fac-02", at: discharge, kind: "DISCHARGE_SUMMARY", title: "退院時サマリー", authorName: doctorName("fac-02", "腎臓内科"),
    body: dischargeBody({
      admit, discharge, dx: "末期腎不全（糖尿病性腎症）", complaint: "全身倦怠感、下腿浮腫、食欲不振",
      course: "糖尿病性腎症による慢性腎臓病で当科通院中、eGFR 6 mL/min/1.73m2、K 5.8、Hb 8.7と尿毒症症状の進行を認め、透析導入目的に入院。第5病日に左前腕内シャントを造設し、右内頸静脈の一時的カテーテルから血液透析を導入。シャント成熟後に穿刺へ移行し、維持透析（週3回、4時間）が安定したため退院。セフェム系抗菌薬による重症薬疹の既往、ラテックスアレルギーあり。",
      procedures: ["内シャント設置術（K610-3）", "人工腎臓（血液透析導入）"],
      meds: [orderLine({ drug: C.drug("amlodin5") }), orderLine({ drug: C.drug("maintate2_5") }), orderLine({ drug: C.drug("feburic20") }), orderLine({ drug: C.drug("takepronOd15") })],
      plan: "当院透析室にて維持透析を継続。シャント音の自己確認を指導済み。DPP-4阻害薬は中止、血糖は透析日に確認。",
    }),
  });

  runRegimen(p, body, {
    facilityId: "fac-04", department: "整形外科", pharmacyId: "fac-07", from: 400, last: 20, lastSupply: 28, gaps: [28, 56],
    reason: "定期受診（腰痛症）",
    drugsAt: () => [{ drug: C.drug("loxoninTape100") }, { drug: C.drug("calonal500"), times: 10 }],
  });
}

/** pat-0004 高橋 美咲: an emergency-scope consent at the central hospital only. */
function takahashiMisaki(rows: Rows, now: Date): void {
  const p = showcase(rows, now, {
    id: "pat-0004", familyName: "高橋", givenName: "美咲", familyNameKana: "タカハシ", givenNameKana: "ミサキ", sex: "FEMALE", birth: [1990, 6, 15],
    insurerNumber: insurerNumber("0122001"), insuredSymbol: "2231907", insuredNumber: "5", postalCode: "422-8041", address: "静岡県静岡市駿河区中田2-7-3 グランメゾン中田301", phone: "080-5512-3390",
  });
  const rng = p.rng;
  for (const f of ["fac-01", "fac-03", "fac-07"]) p.link(f, localId(f, 4));
  p.consent({ facilityId: "fac-01", scope: "EMERGENCY", capturedAt: p.at(400, 11, 0), capturedById: "usr-clerk1" });
  p.allergy({ facilityId: "fac-03", at: p.at(2000, 10, 0), group: "SHRIMP", severity: "MILD", reaction: "えび摂取後の口唇腫脹" });

  const ph: Physiology = { ldl: { base: 96 }, hdl: 68, tg: 70, egfrNow: 104, egfrSlope: 0.4, sbp: { base: 112 }, drinker: false, ua: { base: 4.2 }, hb: 12.8, height: 158.2, bmi: 20.1 };
  const body = new Body(p, ph, rng.fork("body"));

  p.condition({ key: "asthma", facilityId: "fac-03", at: p.at(2500, 10, 0), major: true });
  p.condition({ key: "ida", facilityId: "fac-03", at: p.at(300, 10, 0), endedAt: p.at(120, 10, 0), outcome: "CURED" });
  p.condition({ key: "migraine", facilityId: "fac-01", at: p.at(700, 14, 0) });

  runRegimen(p, body, {
    facilityId: "fac-03", department: "内科", pharmacyId: "fac-07", from: 2500, last: 30, lastSupply: 56, gaps: [56],
    reason: "定期受診（気管支喘息）",
    drugsAt: (d) => [{ drug: C.drug("relvar100") }, { drug: C.drug("singulair10") }, ...(d <= 300 && d > 120 ? [{ drug: C.drug("feromia50") }] : [])],
    labsAt: (d) => (d <= 330 && d > 90 ? ["hb", "plt", "wbc"] : []),
  });
  runRegimen(p, body, {
    facilityId: "fac-01", department: "脳神経内科", pharmacyId: "fac-07", from: 700, last: 45, lastSupply: 56, gaps: [56],
    reason: "定期受診（片頭痛）",
    drugsAt: () => [{ drug: C.drug("calonal500"), times: 10 }],
  });
  // the iron-deficiency months: low Hb at the clinic
  for (const [d, hb] of [[300, 9.8], [240, 10.9], [180, 11.8], [120, 12.6]] as [number, number][]) p.lab({ facilityId: "fac-03", at: p.at(d, 10, 0), key: "hb", value: hb });

  p.encounter({ facilityId: "fac-01", at: p.at(500, 2, 15), cls: "EMERGENCY", department: "救急科", reason: "喘息発作（SpO2 91%）" });
  p.lab({ facilityId: "fac-01", at: p.at(500, 2, 40), key: "wbc", value: 9.4 });
  p.lab({ facilityId: "fac-01", at: p.at(500, 2, 40), key: "crp", value: 0.32 });
}

/** pat-0005 田中 健: consent at the central hospital withdrawn three months ago; the clinic's is active. */
function tanakaKen(rows: Rows, now: Date): void {
  const p = showcase(rows, now, {
    id: "pat-0005", familyName: "田中", givenName: "健", familyNameKana: "タナカ", givenNameKana: "ケン", sex: "MALE", birth: [1965, 11, 30],
    insurerNumber: insurerNumber("0622118"), insuredSymbol: "12", insuredNumber: "40518", postalCode: "425-0026", address: "静岡県焼津市焼津4-9-21", phone: "054-627-0815",
  });
  const rng = p.rng;
  for (const f of ["fac-01", "fac-03", "fac-06"]) p.link(f, localId(f, 5));
  p.consent({ facilityId: "fac-01", scope: "FULL", capturedAt: p.at(730, 10, 30), capturedById: "usr-clerk1", withdrawnAt: p.at(90, 14, 10), withdrawnById: "usr-clerk1" });
  p.consent({ facilityId: "fac-03", scope: "FULL", capturedAt: p.at(1000, 9, 45), capturedById: "usr-clerk3" });

  const ph: Physiology = {
    ldl: { base: 182, statinFrom: 2000, treated: 112 }, hdl: 46, tg: 210, egfrNow: 74, egfrSlope: 0.8,
    sbp: { base: 128 }, drinker: true, ua: { base: 8.6, treatedFrom: 1800, treated: 6.1 }, hb: 15.1, height: 172.4, bmi: 26.2,
  };
  const body = new Body(p, ph, rng.fork("body"));

  p.condition({ key: "dyslipidemia", facilityId: "fac-03", at: p.at(2000, 10, 0), major: true });
  p.condition({ key: "hyperuricemia", facilityId: "fac-03", at: p.at(1800, 10, 0) });

  runRegimen(p, body, {
    facilityId: "fac-03", department: "内科", pharmacyId: "fac-06", from: 2000, last: 18, lastSupply: 56, gaps: [42, 56],
    reason: "定期受診（脂質異常症、高尿酸血症）",
    drugsAt: (d) => [{ drug: C.drug("lipitor10") }, ...(d <= 1800 ? [{ drug: C.drug("feburic20") }] : [])],
    labsAt: (_d, i) => (i % 3 === 0 ? ["ldl", "hdl", "tg", "ast", "alt", "ggt", "ua", "cre", "egfr"] : []),
  });
  acuteCourse(p, { facilityId: "fac-03", department: "内科", pharmacyId: "fac-06", key: "lumbago", daysAgo: 600, lasts: 14,
    orders: [{ drug: C.drug("loxonin60") }, { drug: C.drug("mucosta100") }, { drug: C.drug("loxoninTape100") }], days: 14 });

  // 検診で便潜血陽性 → 大腸内視鏡でポリープ切除 (1泊)
  p.encounter({ facilityId: "fac-01", at: p.at(430, 10, 0), cls: "OUTPATIENT", department: "消化器内科", reason: "便潜血陽性" });
  p.procedure({ facilityId: "fac-01", at: p.at(430, 11, 0), key: "gastroscopy", note: "同日 上部消化管内視鏡：軽度萎縮性胃炎、H. pylori 既感染" });
  p.encounter({ facilityId: "fac-01", at: p.at(401, 9, 0), cls: "INPATIENT", department: "消化器内科", reason: "大腸ポリープ（内視鏡的切除）", endedAt: p.at(400, 11, 0) });
  p.condition({ key: "colonPolyp", facilityId: "fac-01", at: p.at(430, 10, 0), endedAt: p.at(400, 11, 0), outcome: "CURED" });
  p.procedure({ facilityId: "fac-01", at: p.at(401, 14, 0), key: "polypectomy", note: "横行結腸 12mm 亜有茎性ポリープ EMR、クリップ縫縮3個" });
  p.document({
    facilityId: "fac-01", at: p.at(392, 15, 0), kind: "PATHOLOGY_REPORT", title: "病理組織診断報告書", authorName: doctorName("fac-01", "病理診断科"),
    body: pathologyBody({ specimen: "横行結腸ポリープ（EMR）", findings: "管状構造を呈する腺腫で、軽度異型にとどまる。水平・垂直断端陰性。", diagnosis: "Tubular adenoma, low grade、断端陰性" }),
  });
  p.document({
    facilityId: "fac-01", at: p.at(400, 11, 0), kind: "DISCHARGE_SUMMARY", title: "退院時サマリー", authorName: doctorName("fac-01", "消化器内科"),
    body: dischargeBody({
      admit: p.at(401, 9, 0), discharge: p.at(400, 11, 0), dx: "大腸ポリープ（横行結腸）", complaint: "便潜血陽性（特定健診）",
      course: "横行結腸の12mm大ポリープに対し内視鏡的粘膜切除術を施行。後出血なく翌日退院。",
      procedures: ["内視鏡的大腸ポリープ・粘膜切除術（K721）"], meds: [], plan: "病理結果は良性腺腫。1年後に大腸内視鏡の再検をお勧めします。",
    }),
  });

  for (let y = 0; y < 9; y++) {
    const d = 200 + y * 365 + rng.int(0, 6);
    p.checkup({ facilityId: "fac-03", at: p.at(d, 9, 0), programme: "特定健診", values: body.checkupValues(d) });
  }
}

/**
 * pat-9001 牧野 爛漫: the patient of the published JP-CLINS examples, known here at つなぐ中央病院 only.
 * Her 被保険者個人識別子 with 枝番 05, birth date and sex are exactly the examples', so the referral
 * Bundle from 東京みなと病院 (fac-11) links to her automatically when pushed, and the Observations
 * Bundle, which says 枝番 01, waits for the identity review instead.
 */
function makinoRanman(rows: Rows, now: Date): void {
  const p = showcase(rows, now, {
    id: "pat-9001", familyName: "牧野", givenName: "爛漫", familyNameKana: "マキノ", givenNameKana: "ランマン", sex: "FEMALE", birth: [1930, 6, 28],
    insurerNumber: "00012345", insuredSymbol: "あいう", insuredNumber: "187", insuredBranch: "05", postalCode: "781-8125", address: "高知県高知市五台山4200-6", phone: "03-123-1234",
  });
  p.link("fac-01", localId("fac-01", 9001));
  p.consent({ facilityId: "fac-01", scope: "FULL", capturedAt: p.at(30, 10, 0), capturedById: "usr-clerk1" });
  p.encounter({ facilityId: "fac-01", at: p.at(30, 10, 30), cls: "OUTPATIENT", department: "内科", reason: "上腹部痛（東京みなと病院より紹介予定）" });
}

/** a short outpatient course: visit, diagnosis (ended), prescription and dispense */
function acuteCourse(p: PatientBuilder, x: { facilityId: string; department: string; pharmacyId: string; key: string; daysAgo: number; lasts: number; orders: Order[]; days: number }): void {
  const at = p.visitTime(x.daysAgo);
  p.encounter({ facilityId: x.facilityId, at, cls: "OUTPATIENT", department: x.department, reason: C.condition(x.key).display });
  p.condition({ key: x.key, facilityId: x.facilityId, at, endedAt: p.at(x.daysAgo - x.lasts, 12), outcome: "CURED" });
  const rx: RxInput = { facilityId: x.facilityId, department: x.department, prescriberName: doctorName(x.facilityId, x.department), at: new Date(at.getTime() + 10 * 60_000), orders: x.orders, days: x.days };
  const rxId = p.prescription(rx);
  p.dispense({ ...rx, facilityId: x.pharmacyId, at: new Date(at.getTime() + 60 * 60_000), fills: rxId });
}

// =============================================================================================

/** All patient rows for `count` patients (at least the five showcase ones), deterministic for a given `now`. */
export function buildPatients(now: Date, count = 200): Rows {
  const rows = emptyRows();
  yamadaTaro(rows, now);
  satoHanako(rows, now);
  suzukiIchiro(rows, now);
  takahashiMisaki(rows, now);
  tanakaKen(rows, now);
  makinoRanman(rows, now);
  for (let no = 6; no <= count; no++) generatePatient(rows, no, now);
  return rows;
}
