import type { Tx } from "../db/client";
import type { Withheld } from "../access/decide";
import type { ContactKind } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import { isoDate } from "../format/dates";
import { asNeededPastYear, currentMedications, type AllergyConflict, type AsNeededMed, type CurrentMed, type DuplicateWarning } from "./medication";
import { activeConditionsSql, readBanner, RECORD_DATES, type SafetyBanner } from "./banner";
import { readRecentMedRows } from "./prescriptions";
import { ACKNOWLEDGEMENT_ROWS, acknowledgementsSql, readMedicationChecks, RENAL_LABS, type AcknowledgementRow, type MedicationChecks } from "./medication-checks";
import { primaryOf } from "./replica";
import { readLatestPerCodeSets, recentElsewhereFilter, recentTests, type RecentTest } from "./labs";
import { mapFacilities, readRecordMap, type RecordMap } from "./record-map";
import { readSourceNotes, type RegisteredContact, type SourceMismatch } from "./last-received";
import { mergeProblems, type Problem } from "./problems";
import { measuredText } from "../terminology/lab-tests";
import { formatRange } from "../format/range";
import { Prisma, type Checkup, type CheckupItem, type Condition } from "../db/generated/client";
import { notHidden } from "./tables";
import { jsonValue } from "./json-rows";
import { KINDS, rowsWithItems } from "./kinds";
import type { ReadBatch } from "./read-batch";

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
 * patient's rows through the (patientId, occurredAt) indexes; nothing loads the whole record. Its reads
 * go into `batch` before any is awaited, to be sent as one statement with the caller's own
 * (getPatientView's timeline), the patient's acknowledgements of medication warnings too when the batch
 * reads the primary (else they are read after, on the primary, for the warnings found).
 */
export async function readSummary(
  batch: ReadBatch,
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
  const todayIso = isoDate(today);

  // The active conditions serve both the problem list and the banner's infections: read them once.
  const conditionsRead = sees("condition")
    ? batch.rows<Condition>(activeConditionsSql(patientId, withheld, Prisma.empty, `t.major DESC, t."occurredAt" DESC, t.id ASC`), { dates: RECORD_DATES, order: `x.major DESC, x."occurredAt" DESC, x.id ASC` })
    : Promise.resolve([]);
  // The acknowledgements of the medication warnings (on the primary, which the batch reads when there is
  // no replica): the patient's all, since the warnings are known only from the batch's rows.
  const acknowledgementsRead = sees("prescription") && primaryOf(tx) === tx ? batch.rows<AcknowledgementRow>(acknowledgementsSql(patientId), ACKNOWLEDGEMENT_ROWS) : Promise.resolve(undefined);
  const [conditions, { banner, drugAllergies }, medRows, tests, checkup, map, notes, acknowledgementRows] = await Promise.all([
    conditionsRead,
    readBanner(batch, patientId, kinds, withheld, conditionsRead),
    sees("prescription") ? readRecentMedRows(batch, patientId, withheld, today) : Promise.resolve([]),
    // the tests done elsewhere and the renal labs the medication checks use (when there are medicines)
    readLatestPerCodeSets(batch, patientId, kinds, withheld, today, { recent: recentElsewhereFilter(viewerFacilityId, today), renal: RENAL_LABS }),
    sees("checkup") ? readLatestCheckup(batch, patientId, withheld) : Promise.resolve(null),
    readRecordMap(batch, patientId, kinds, withheld, "auto"),
    readSourceNotes(batch, patientId, mapFacilities(patientId, kinds, withheld), contactKinds),
    acknowledgementsRead,
  ]);
  const medications = currentMedications(medRows, todayIso);
  const checks = await readMedicationChecks(tx, patientId, kinds, withheld, medications, drugAllergies, mayAcknowledge, tests.renal ?? [], acknowledgementRows);
  return {
    banner,
    problems: mergeProblems(conditions),
    medications: medications.filter((m) => !m.asNeeded),
    asNeeded: asNeededPastYear(medRows, todayIso),
    duplicates: checks.duplicates,
    conflicts: checks.conflicts,
    checks,
    latestCheckup: checkup,
    recentElsewhere: recentTests(tests.recent ?? [], today),
    map,
    ...notes,
  };
}

/** The latest checkup with its items, in code order. */
async function readLatestCheckup(batch: ReadBatch, patientId: string, withheld: Withheld): Promise<CheckupSummary | null> {
  const [c] = await batch.rows<Checkup & { items: CheckupItem[] | string }>(
    Prisma.sql`${rowsWithItems("Checkup", "CheckupItem", "checkupId", Prisma.sql`t."patientId" = ${patientId} AND ${notHidden("t", withheld)}`, "i.code, i.id")} ORDER BY t."occurredAt" DESC, t.id DESC LIMIT 1`,
    { dates: KINDS.checkup.dates },
  );
  if (!c) return null;
  return {
    id: c.id,
    occurredAt: c.occurredAt.toISOString(),
    facilityId: c.facilityId,
    programme: c.programme,
    items: jsonValue<CheckupItem[]>(c.items).map((i) => ({
      code: i.code,
      display: i.display,
      value: measuredText(i.code, i.valueNumeric, i.valueText),
      unit: i.unit,
      flag: i.flag && i.flag !== "N" ? i.flag : null,
      range: formatRange(i.refLow, i.refHigh),
    })),
  };
}
