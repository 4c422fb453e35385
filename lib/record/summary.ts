import type { Tx } from "../db/client";
import type { Withheld } from "../access/decide";
import type { ContactKind } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import { isoDate } from "../format/dates";
import { asNeededPastYear, currentMedications, type AllergyConflict, type AsNeededMed, type CurrentMed, type DuplicateWarning } from "./medication";
import { notWithheld, readBanner, type SafetyBanner } from "./banner";
import { readRecentMedRows } from "./prescriptions";
import { readMedicationChecks, RENAL_LABS, type MedicationChecks } from "./medication-checks";
import { readLatestPerCodeSets, recentElsewhereFilter, recentTests, type RecentTest } from "./labs";
import { readRecordMap, type RecordMap } from "./record-map";
import { readSourceNotes, type RegisteredContact, type SourceMismatch } from "./last-received";
import { mergeProblems, ONGOING, type Problem } from "./problems";
import { measuredText } from "../terminology/lab-tests";
import { formatRange } from "../format/range";
import { inTurn } from "../db/in-turn";

export interface CheckupSummary {
  id: string;
  occurredAt: string;
  facilityId: string;
  programme: string;
  items: { code: string; display: string; value: string; unit: string | null; flag: string | null; range: string | null }[];
}

export interface IntegratedSummary {
  banner: SafetyBanner;
  problems: Problem[];
  /** regular medicines whose supply covers today (a 頓用 one is in asNeeded, never here) */
  medications: CurrentMed[];
  /** 頓用 drugs of the past year, with their last dispense */
  asNeeded: AsNeededMed[];
  duplicates: DuplicateWarning[];
  conflicts: AllergyConflict[];
  /** the sourced interaction and renal checks, with any acknowledgement */
  checks: MedicationChecks;
  latestCheckup: CheckupSummary | null;
  /** tests done at other facilities within the last 30 days, so they are not ordered again */
  recentElsewhere: RecentTest[];
  /** months for a short record, years for a long one */
  map: RecordMap;
  /** facility id → when it last sent this patient's data, for the facilities on the map that ever did */
  lastReceived: Record<string, string>;
  /** facility id → the birth dates and sexes its files gave that differ from the patient's */
  sourceMismatches: Record<string, SourceMismatch>;
  /** facility id → the telephones, contacts and insurance it registered (only the kinds the read may show: lib/access contactKinds) */
  contacts: Record<string, RegisteredContact[]>;
}

/**
 * The first screen of the integrated view, for kinds the actor may see. Each part reads only this
 * patient's rows through the (patientId, occurredAt) indexes; nothing loads the whole record.
 */
export async function readSummary(
  tx: Tx,
  patientId: string,
  kinds: readonly RecordKind[],
  withheld: Withheld,
  today: Date,
  /** the viewer's facility: tests done elsewhere recently are pointed out */
  viewerFacilityId: string,
  /** whether the viewer may mark a medication warning as handled (decided by the caller with lib/access) */
  mayAcknowledge = false,
  /** which of the registered contacts the read may show (decided by the caller with lib/access contactKinds) */
  contactKinds: readonly ContactKind[] = [],
): Promise<IntegratedSummary> {
  const sees = (k: RecordKind) => kinds.includes(k);
  const hide = notWithheld(withheld);
  const todayIso = isoDate(today);

  // The active conditions serve both the problem list and the banner's infections: read them once.
  const conditions = sees("condition") ? await tx.condition.findMany({ where: { patientId, ...ONGOING, ...hide }, orderBy: [{ major: "desc" }, { occurredAt: "desc" }, { id: "asc" }] }) : [];
  const [{ banner, drugAllergies }, medRows] = await inTurn(
    () => readBanner(tx, patientId, kinds, withheld, conditions),
    () => (sees("prescription") ? readRecentMedRows(tx, patientId, withheld, today) : Promise.resolve([])),
  );
  const medications = currentMedications(medRows, todayIso);
  // the tests done elsewhere and, when there are medicines to check, the renal labs: one statement
  const tests = await readLatestPerCodeSets(tx, patientId, kinds, withheld, today, {
    recent: recentElsewhereFilter(viewerFacilityId, today),
    ...(medications.length ? { renal: RENAL_LABS } : {}),
  });
  const recentElsewhere = recentTests(tests.recent ?? [], today);

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
          value: measuredText(i.code, i.valueNumeric, i.valueText),
          unit: i.unit,
          flag: i.flag && i.flag !== "N" ? i.flag : null,
          range: formatRange(i.refLow, i.refHigh),
        })),
      };
    }
  }

  const map = await readRecordMap(tx, patientId, kinds, withheld, "auto");
  const checks = await readMedicationChecks(tx, patientId, kinds, withheld, medications, drugAllergies, mayAcknowledge, tests.renal ?? []);
  return {
    banner,
    problems: mergeProblems(conditions),
    medications: medications.filter((m) => !m.asNeeded),
    asNeeded: asNeededPastYear(medRows, todayIso),
    duplicates: checks.duplicates,
    conflicts: checks.conflicts,
    checks,
    latestCheckup,
    recentElsewhere,
    map,
    ...(await readSourceNotes(tx, patientId, [...new Set(map.cells.map((c) => c.facilityId))], contactKinds)),
  };
}
