/**
 * Which withholdable category a record belongs to. Pure: the signals of the care in, one category out,
 * so the seed now and the importers next classify every record the same way, and the rule can be
 * tested as a matrix (tests/sensitivity.test.ts).
 *
 * A patient who withholds psychiatric care means the care, not one code: a sleeping pill prescribed in
 * the psychiatry clinic, the insomnia noted at the same visit and the clinic's own name all tell the
 * story. So the category follows every signal we have:
 *   1. the record's own content: its ICD-10 code, or the class of a medicine in it (YJ code);
 *   2. what the source system declared (never lowered: a source that knows better wins);
 *   3. the department (診療科) it was recorded in;
 *   4. the kind of facility (a psychiatric clinic: everything there is psychiatric);
 *   5. the visit it belongs to: a record made at the same facility on the same day as a sensitive one
 *      inherits the category (classifyVisits), unless it names another department.
 * When the signals disagree, the more specific one wins (the order above). The database holds one
 * category per record, so a record with two (an HIV patient's antidepressant) keeps the first found.
 *
 * Deliberately on the safe side: over-withholding hides a record the patient did not mean to hide,
 * under-withholding tells a clinic what the patient asked us not to tell. Each list below says what is
 * in, what is out, and why.
 */
import type { Sensitivity } from "./decide";
import { ssmixDepartmentName } from "../terminology/departments";

type Category = Exclude<Sensitivity, "NORMAL">;

/** An ICD-10 code as letter + number (F32.9 → F, 329), any width or punctuation; null if not ICD-10-shaped. */
function icdParts(code: string): { letter: string; num: number; digits: string } | null {
  const c = code.normalize("NFKC").toUpperCase().replace(/[\s.]/g, "");
  const m = /^([A-Z])(\d{2})(\d*)/.exec(c);
  if (!m) return null;
  const digits = m[2]! + (m[3] ?? "");
  return { letter: m[1]!, num: Number(m[2]), digits };
}

/** ranges of three-character categories, inclusive: ["B20", "B24"] */
type IcdRange = readonly [string, string];

/**
 * ICD-10 (WHO / MHLW 2013). In: the categories a patient would reasonably call psychiatric,
 * infectious-and-stigmatised, genetic or reproductive. Out, on purpose: common infections (A09
 * gastroenteritis, J11 influenza, B02 zoster), neurology (G43 migraine, G47 sleep disorders: insomnia of
 * organic cause is G47.0, of psychiatric cause F51.0), congenital malformations that are not
 * chromosomal (Q65 hip dysplasia), urology (N30 cystitis, N40 BPH).
 */
const ICD10: readonly (readonly [Category, readonly IcdRange[]])[] = [
  [
    "PSYCHIATRIC",
    [
      ["F00", "F99"], // Chapter V: mental and behavioural disorders
      ["X60", "X84"], // intentional self-harm
      ["Z91.5", "Z91.5"], // personal history of self-harm
    ],
  ],
  [
    "INFECTIOUS",
    [
      ["A15", "A19"], // tuberculosis
      ["B90", "B90"], // sequelae of tuberculosis
      ["A30", "A30"], // leprosy (ハンセン病)
      ["A50", "A64"], // syphilis and other infections with a predominantly sexual mode of transmission
      ["B16", "B16"], // acute hepatitis B
      ["B17.0", "B17.1"], // acute delta / hepatitis C
      ["B18.0", "B18.2"], // chronic viral hepatitis B (with/without delta) and C
      ["B19.1", "B19.2"], // unspecified viral hepatitis B / C
      ["B20", "B24"], // HIV disease
      ["Z21", "Z21"], // asymptomatic HIV infection status
      ["R75", "R75"], // laboratory evidence of HIV
      ["Z22.5", "Z22.5"], // carrier of viral hepatitis
    ],
  ],
  [
    "GENETIC",
    [
      ["Q90", "Q99"], // chromosomal abnormalities
      ["Z14", "Z15"], // genetic carrier; genetic susceptibility to disease (e.g. BRCA)
      ["G10", "G10"], // Huntington's disease
      ["E84", "E84"], // cystic fibrosis
      ["D66", "D67"], // hereditary factor VIII / IX deficiency
    ],
  ],
  [
    "REPRODUCTIVE",
    [
      ["O00", "O99"], // Chapter XV: pregnancy, childbirth and the puerperium (abortion included)
      ["Z30", "Z37"], // contraception, procreative management (infertility care), pregnancy supervision, delivery
      ["N46", "N46"], // male infertility
      ["N96", "N98"], // habitual aborter, female infertility, complications of artificial fertilisation
    ],
  ],
];

/** Compare a code with a range bound at the bound's precision: "F32.9" is within ["F00", "F99"]. */
function inRange(code: { letter: string; digits: string }, [lo, hi]: IcdRange): boolean {
  const l = icdParts(lo)!;
  const h = icdParts(hi)!;
  if (code.letter !== l.letter) return false;
  const at = (d: string, n: number) => d.slice(0, n).padEnd(n, "0");
  return at(code.digits, l.digits.length) >= l.digits && at(code.digits, h.digits.length) <= h.digits;
}

export function icd10Category(icd10: string | null | undefined): Category | null {
  const p = icd10 ? icdParts(icd10) : null;
  if (!p) return null;
  for (const [cat, ranges] of ICD10) if (ranges.some((r) => inRange(p, r))) return cat;
  return null;
}

/**
 * YJ codes (個別医薬品コード): the first 3 digits are the 薬効分類. In: 112 催眠鎮静剤・抗不安剤 (zolpidem
 * マイスリー, benzodiazepines), 117 精神神経用剤 (antidepressants, antipsychotics, lithium,
 * psychostimulants), 622 抗結核剤, 254 避妊剤. Out: 113 antiepileptics and 116 antiparkinsonian drugs
 * (neurology), 625 antivirals as a class (oseltamivir and aciclovir are there too); the antivirals that
 * name HIV or hepatitis B/C care are listed by ingredient (YJ characters 1–7) instead. Known over-reach:
 * midazolam given for endoscopy sedation is 112 too.
 */
const YJ_CLASS: readonly (readonly [string, Category])[] = [
  ["112", "PSYCHIATRIC"],
  ["117", "PSYCHIATRIC"],
  ["622", "INFECTIOUS"],
  ["254", "REPRODUCTIVE"],
];
/** antivirals for HIV and hepatitis B (the ingredients in the network's drug table; extend from the YJ master) */
const YJ_INGREDIENT: ReadonlyMap<string, Category> = new Map([
  ["6250029", "INFECTIOUS"], // エンテカビル (HBV)
  ["6250121", "INFECTIOUS"], // ビクテグラビル・エムトリシタビン・テノホビル アラフェナミド (HIV)
]);

export function drugCategory(yj: string | null | undefined): Category | null {
  const c = yj?.normalize("NFKC").trim().toUpperCase();
  if (!c) return null;
  return YJ_INGREDIENT.get(c.slice(0, 7)) ?? YJ_CLASS.find(([prefix]) => c.startsWith(prefix))?.[1] ?? null;
}

/**
 * 診療科 names, as the sources write them. In: 精神科, 心療内科, 精神神経科, 児童精神科, 神経科 (the old name
 * of psychiatry); 感染症内科 and 性病科; 産科, 婦人科, 産婦人科, 生殖医療 / 不妊 clinics; 遺伝 (臨床遺伝科,
 * 遺伝子診療部). Out: 脳神経内科 and 神経内科 (neurology), 泌尿器科, 内科.
 */
const DEPARTMENT: readonly (readonly [RegExp, Category])[] = [
  [/精神|心療|^神経科$/, "PSYCHIATRIC"],
  [/感染症|性病|HIV|エイズ/i, "INFECTIOUS"],
  [/遺伝/, "GENETIC"],
  [/産科|婦人科|生殖|不妊/, "REPRODUCTIVE"],
];

/** A department by name or by its SS-MIX2 code (02 is 精神科: SS-MIX2 files send codes, not names). */
export function departmentCategory(department: string | null | undefined): Category | null {
  const d = (ssmixDepartmentName(department) ?? department)?.normalize("NFKC").replace(/\s/g, "");
  if (!d) return null;
  return DEPARTMENT.find(([re]) => re.test(d))?.[1] ?? null;
}

/** Everything known about one record's care. Every field is optional: use what the source gives. */
export interface CareSignals {
  /** the diagnosis's ICD-10 code */
  icd10?: string | null;
  /** YJ codes of the medicines in a prescription or dispense */
  yjCodes?: readonly (string | null | undefined)[];
  /** what the source system said (FHIR meta.security, an SS-MIX2 flag, the seed's own) */
  declared?: Sensitivity | null;
  /** the 診療科 the record was made in */
  department?: string | null;
  /** the category of all care at the source facility (a psychiatric clinic: PSYCHIATRIC), if any */
  facilityCategory?: Sensitivity | null;
}

export type Signal = "code" | "drug" | "declared" | "department" | "facility" | "visit";

/** The category of one record on its own signals, and which signal decided it (for tests and logs). */
export function classifyCare(s: CareSignals): { category: Sensitivity; signal: Signal | null } {
  const code = icd10Category(s.icd10);
  if (code) return { category: code, signal: "code" };
  for (const yj of s.yjCodes ?? []) {
    const d = drugCategory(yj);
    if (d) return { category: d, signal: "drug" };
  }
  if (s.declared && s.declared !== "NORMAL") return { category: s.declared, signal: "declared" };
  const dept = departmentCategory(s.department);
  if (dept) return { category: dept, signal: "department" };
  if (s.facilityCategory && s.facilityCategory !== "NORMAL") return { category: s.facilityCategory, signal: "facility" };
  return { category: "NORMAL", signal: null };
}

export const sensitivityOf = (s: CareSignals): Sensitivity => classifyCare(s).category;

/** One record of a patient, for grouping into visits. */
export interface VisitRecord {
  facilityId: string;
  occurredAt: Date;
  department?: string | null;
  /** its category on its own signals (classifyCare) */
  own: Sensitivity;
  /** which signal decided `own` (classifyCare): a medicine's class alone does not mark the visit */
  signal?: Signal | null;
  /** false for records that must not inherit (allergies: safety information, withheld only on their own signals) */
  inherits?: boolean;
}

const JST_MS = 9 * 3_600_000;
/** the visit a record belongs to: its facility and its calendar day in Japan */
const visitKey = (r: VisitRecord) => `${r.facilityId}|${new Date(r.occurredAt.getTime() + JST_MS).toISOString().slice(0, 10)}`;

/**
 * The category of each record of one patient (same order), after visits: a record at the same facility
 * on the same Japanese calendar day as a sensitive record inherits its category. The records carry no
 * encounter id (sources rarely give one that links a diagnosis to its visit), so the visit is the
 * facility and the day. A record that names a department inherits only from sensitive records of that
 * department or of none (a hospital's 循環器内科 visit is not its 精神科 visit); a record with no
 * department (a diagnosis, a lab result) cannot be told apart and inherits from any.
 *
 * A record sensitive only by a medicine's class is withheld itself but does not mark the visit: a
 * hypnotic prescribed at a diabetes check-up does not make that day's HbA1c psychiatric (measured on the
 * demo seed: it would have hidden 1,870 lab results of general care). A diagnosis, a department, a
 * facility or a source's flag does mark it: they describe the visit's care, not one item of it.
 */
export function classifyVisits(records: readonly VisitRecord[]): Sensitivity[] {
  const sensitive = new Map<string, { category: Category; department: string | null }[]>();
  for (const r of records) {
    if (r.own === "NORMAL" || r.signal === "drug") continue;
    const k = visitKey(r);
    const list = sensitive.get(k) ?? [];
    list.push({ category: r.own, department: r.department ?? null });
    sensitive.set(k, list);
  }
  return records.map((r) => {
    if (r.own !== "NORMAL" || r.inherits === false) return r.own;
    const from = sensitive.get(visitKey(r));
    const match = from?.find((s) => !r.department || s.department === null || s.department === r.department);
    return match?.category ?? "NORMAL";
  });
}
