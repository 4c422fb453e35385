import { Prisma } from "../db/generated/client";
import type { Tx } from "../db/client";
import type { Sensitivity } from "../access/decide";
import type { RecordKind } from "../access/data-kinds";
import { isoDate } from "../format/dates";
import { allergyConflicts, currentMedications, duplicateTherapy, type AllergyConflict, type CurrentMed, type DuplicateWarning, type MedRow } from "./medication";
import { ALLERGEN_BY_GROUP, type AllergyGroup } from "../interop/codes";

/** What the patient withholds, per banner section, so the UI can say "withheld" rather than "none". */
export interface SafetyBanner {
  allergies: { id: string; kind: string; display: string; reaction: string | null; severity: string; facilityId: string }[];
  contraindications: { id: string; display: string; reaction: string | null; facilityId: string }[];
  infections: { id: string; display: string; facilityId: string; since: string }[];
  /** banner sections whose data the patient withholds from this facility */
  withheldSections: ("allergies" | "infections")[];
}

export interface Problem {
  id: string;
  display: string;
  icd10: string | null;
  code: string;
  codeSystem: string;
  since: string;
  suspected: boolean;
  major: boolean;
  facilityId: string;
}

export interface CheckupSummary {
  id: string;
  occurredAt: string;
  facilityId: string;
  programme: string;
  items: { code: string; display: string; value: string; unit: string | null; flag: string | null; range: string | null }[];
}

export interface RecordMapCell {
  facilityId: string;
  /** YYYY-MM in Japan time */
  month: string;
  kind: RecordKind;
  count: number;
}

export interface IntegratedSummary {
  banner: SafetyBanner;
  problems: Problem[];
  medications: CurrentMed[];
  duplicates: DuplicateWarning[];
  conflicts: AllergyConflict[];
  latestCheckup: CheckupSummary | null;
  map: RecordMapCell[];
}

const notWithheld = (withheld: readonly Sensitivity[]) => (withheld.length ? { sensitivity: { notIn: [...withheld] } } : {});

/** How far back "current medicines" look: longer than any supply a Japanese prescription allows (90 days+). */
const MEDICATION_LOOKBACK_DAYS = 400;

/** Most dangerous first in the banner. */
const SEVERITY_RANK: Record<"SEVERE" | "MODERATE" | "UNKNOWN" | "MILD", number> = { SEVERE: 0, MODERATE: 1, UNKNOWN: 2, MILD: 3 };

const TABLE: Record<RecordKind, string> = {
  encounter: "Encounter",
  condition: "Condition",
  prescription: "Prescription",
  lab: "LabResult",
  checkup: "Checkup",
  allergy: "Allergy",
  procedure: "Procedure",
  document: "Document",
};

/** Facility × month × kind counts, one aggregate query over the visible kinds (each via its patient index). */
async function recordMap(tx: Tx, patientId: string, kinds: readonly RecordKind[], withheld: readonly Sensitivity[]): Promise<RecordMapCell[]> {
  if (kinds.length === 0) return [];
  const parts = kinds.map(
    (k) => Prisma.sql`SELECT ${k}::text AS kind, "facilityId", to_char("occurredAt" AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM') AS month, count(*)::int AS count
      FROM ${Prisma.raw(`"${TABLE[k]}"`)} WHERE "patientId" = ${patientId} AND NOT ("sensitivity"::text = ANY(${[...withheld]}::text[]))
      GROUP BY 2, 3`,
  );
  const rows = await tx.$queryRaw<RecordMapCell[]>(Prisma.sql`${Prisma.join(parts, " UNION ALL ")} ORDER BY 3, 2, 1`);
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/**
 * The first screen of the integrated view, for kinds the actor may see. Each part reads only this
 * patient's rows through the (patientId, occurredAt) indexes; nothing loads the whole record.
 */
export async function readSummary(tx: Tx, patientId: string, kinds: readonly RecordKind[], withheld: readonly Sensitivity[], today: Date): Promise<IntegratedSummary> {
  const sees = (k: RecordKind) => kinds.includes(k);
  const hide = notWithheld(withheld);
  const todayIso = isoDate(today);

  const allergies = sees("allergy")
    ? (await tx.allergy.findMany({ where: { patientId, active: true, ...hide }, orderBy: { occurredAt: "desc" } })).sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
    : [];
  const conditions = sees("condition")
    ? await tx.condition.findMany({ where: { patientId, endedAt: null, ...hide }, orderBy: [{ major: "desc" }, { occurredAt: "desc" }] })
    : [];

  let medRows: MedRow[] = [];
  if (sees("prescription")) {
    const since = new Date(today.getTime() - MEDICATION_LOOKBACK_DAYS * 86_400_000);
    const rx = await tx.prescription.findMany({ where: { patientId, occurredAt: { gte: since }, ...hide }, include: { items: true } });
    medRows = rx.flatMap((p) =>
      p.items.map((i) => ({
        prescriptionId: p.id,
        itemId: i.id,
        kind: p.kind,
        facilityId: p.facilityId,
        occurredAt: p.occurredAt,
        status: p.status,
        stoppedAt: p.stoppedAt,
        codeSystem: i.codeSystem,
        code: i.code,
        display: i.display,
        yjCode: i.yjCode,
        days: i.days,
        asNeeded: i.asNeeded,
        usageText: i.usageText,
        dose: i.dose,
        doseUnit: i.doseUnit,
      })),
    );
  }
  const medications = currentMedications(medRows, todayIso);

  let latestCheckup: CheckupSummary | null = null;
  if (sees("checkup")) {
    const c = await tx.checkup.findFirst({ where: { patientId, ...hide }, orderBy: [{ occurredAt: "desc" }, { id: "desc" }], include: { items: { orderBy: { code: "asc" } } } });
    if (c) {
      latestCheckup = {
        id: c.id,
        occurredAt: c.occurredAt.toISOString(),
        facilityId: c.facilityId,
        programme: c.programme,
        items: c.items.map((i) => ({
          code: i.code,
          display: i.display,
          value: i.valueNumeric !== null ? String(i.valueNumeric) : (i.valueText ?? "—"),
          unit: i.unit,
          flag: i.flag && i.flag !== "N" ? i.flag : null,
          range: i.refLow !== null || i.refHigh !== null ? `${i.refLow ?? ""}–${i.refHigh ?? ""}` : null,
        })),
      };
    }
  }

  const drugAllergies = allergies
    .filter((a) => a.kind === "DRUG" || a.kind === "CONTRAINDICATION")
    .map((a) => ({
      display: a.display,
      kind: a.kind,
      yjIngredients: (a.code ? ALLERGEN_BY_GROUP.get(a.code as AllergyGroup)?.yjIngredients : undefined) ?? [],
    }));

  return {
    banner: {
      allergies: allergies.filter((a) => a.kind !== "CONTRAINDICATION").map((a) => ({ id: a.id, kind: a.kind, display: a.display, reaction: a.reaction, severity: a.severity, facilityId: a.facilityId })),
      contraindications: allergies.filter((a) => a.kind === "CONTRAINDICATION").map((a) => ({ id: a.id, display: a.display, reaction: a.reaction, facilityId: a.facilityId })),
      infections: conditions.filter((c) => c.infection).map((c) => ({ id: c.id, display: c.display, facilityId: c.facilityId, since: c.occurredAt.toISOString() })),
      withheldSections: withheld.includes("INFECTIOUS") ? ["infections"] : [],
    },
    problems: conditions.map((c) => ({
      id: c.id,
      display: c.display,
      icd10: c.icd10,
      code: c.code,
      codeSystem: c.codeSystem,
      since: c.occurredAt.toISOString(),
      suspected: c.suspected,
      major: c.major,
      facilityId: c.facilityId,
    })),
    medications,
    duplicates: duplicateTherapy(medications),
    conflicts: allergyConflicts(medications, drugAllergies),
    latestCheckup,
    map: await recordMap(tx, patientId, kinds, withheld),
  };
}
