import { z } from "zod";
import { Prisma } from "../db/generated/client";
import { jstDaySql } from "../db/jst-sql";
import type { Actor } from "../auth/actor";
import type { Sensitivity } from "../access/decide";
import { visibleKinds } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import { LAB_BY_CODE, LAB_TESTS, measuredText } from "../terminology/lab-tests";
import { PANELS, panelOf, type Panel } from "../terminology/lab-panels";
import { isWarningFlag, rangeStatus, type RangeStatus } from "../format/lab-band";
import { formatRange } from "../format/range";
import { withPatientAccess } from "./guard";
import { InvalidInputError } from "./errors";
import { readBanner, type SafetyBanner } from "./banner";
import { readIdentity, type PatientIdentity } from "./identity";
import { observations, type ObservationRow } from "./labs";
import { inTurn } from "../db/in-turn";
import { now } from "../clock";
import { readScopeNote, type ScopeNote } from "./scope-note";

/** Days (columns) on one screen: about a year of monthly visits, still readable on a phone when scrolled. */
export const FLOWSHEET_DAYS = 12;

export interface FlowsheetCell {
  value: string;
  status: RangeStatus;
  /** this result's own range, when it differs from the row's (a checkup's 保健指導判定値, another laboratory) */
  range: string | null;
  facilityId: string;
  source: "lab" | "checkup";
}

export interface FlowsheetRow {
  code: string;
  display: string;
  unit: string | null;
  /** the latest result's own range: ranges differ between laboratories, each cell is judged by its own */
  range: string | null;
  /** by day (YYYY-MM-DD, Japan time); more than one when two facilities tested on the same day */
  cells: Record<string, FlowsheetCell[]>;
}

export interface Flowsheet {
  patient: PatientIdentity;
  banner: SafetyBanner;
  kinds: RecordKind[];
  withheld: Sensitivity[];
  /** newest first: the latest result is the first a clinician reads, also on a narrow screen */
  days: string[];
  panels: { panel: Panel; rows: FlowsheetRow[] }[];
  /** the day to pass as `before` for the older page, when there is one */
  olderBefore: string | null;
  /** what the scope leaves out (an emergency-only consent: the lab history), and the emergency lab values it keeps */
  scopeNote: ScopeNote;
}

/** Known tests in the order clinicians read them (the code table's order); others after, by code. */
const ORDER = new Map(LAB_TESTS.map((t, i) => [t.code, i]));
const orderOf = (code: string) => ORDER.get(code) ?? ORDER.size;

const input = z.object({ before: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional()) });

/**
 * The cumulative lab table (検査結果一覧): tests as rows grouped by panel, days as columns across
 * every facility, each cell with its facility and its own in-or-out-of-range status. Decided and
 * audited like every read; withheld categories and the actor's record kinds apply as in the trend.
 */
export async function getLabFlowsheet(actor: Actor, patientId: string, raw: unknown = {}): Promise<Flowsheet> {
  const parsed = input.safeParse(raw);
  if (!parsed.success || (parsed.data.before && Number.isNaN(Date.parse(parsed.data.before)))) throw new InvalidInputError("before", "invalid date");
  const before = parsed.data.before;
  return withPatientAccess(actor, patientId, "TREATMENT", {
    replica: true,
    action: "RECORD_VIEW",
    what: "lab-flowsheet",
    detail: { before: before ?? null },
    read: async (tx, decision) => {
      const kinds = visibleKinds(actor.profession, decision.scope);
      const [patient, { banner }, scopeNote] = await inTurn(
        () => readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds, withheld: decision.withheld }),
        () => readBanner(tx, patientId, kinds, decision.withheld),
        () => readScopeNote(tx, actor, patientId, decision, now()));
      const src = observations(patientId, kinds, decision.withheld, {});
      const empty = { patient, banner, kinds, withheld: [...decision.withheld.categories], days: [], panels: [], olderBefore: null, scopeNote };
      if (!src) return empty;
      const day = jstDaySql(Prisma.sql`"occurredAt"`);
      const older = before ? Prisma.sql`AND ${day} < ${before}` : Prisma.empty;
      // One more day than shown says whether an older page exists.
      const dayRows = await tx.$queryRaw<{ d: string }[]>(
        Prisma.sql`SELECT DISTINCT ${day} AS d FROM (${src}) o WHERE (value IS NOT NULL OR text IS NOT NULL) ${older} ORDER BY d DESC LIMIT ${FLOWSHEET_DAYS + 1}`,
      );
      const days = dayRows.slice(0, FLOWSHEET_DAYS).map((r) => r.d);
      if (days.length === 0) return empty;
      const rows = await tx.$queryRaw<(ObservationRow & { d: string })[]>(
        Prisma.sql`SELECT *, ${day} AS d FROM (${src}) o WHERE (value IS NOT NULL OR text IS NOT NULL) AND ${day} >= ${days.at(-1)!} ${older} ORDER BY "occurredAt" DESC, "id"`,
      );
      const byCode = new Map<string, FlowsheetRow>();
      for (const r of rows) {
        let row = byCode.get(r.code);
        if (!row) {
          // newest first: the first row of a code carries its latest range and unit
          row = { code: r.code, display: LAB_BY_CODE.get(r.code)?.display ?? r.display, unit: r.unit, range: formatRange(r.refLow, r.refHigh), cells: {} };
          byCode.set(r.code, row);
        }
        const value = r.value === null ? null : Number(r.value);
        const own = formatRange(r.refLow, r.refHigh);
        (row.cells[r.d] ??= []).push({
          value: measuredText(r.code, value, r.text),
          range: own !== row.range ? own : null,
          status: value === null ? (isWarningFlag(r.flag) ? "abnormal" : "normal") : rangeStatus(value, r.flag, r.refLow, r.refHigh),
          facilityId: r.facilityId,
          source: r.source,
        });
      }
      const panels = PANELS.map((panel) => ({
        panel,
        rows: [...byCode.values()].filter((row) => panelOf(row.code) === panel).sort((a, b) => orderOf(a.code) - orderOf(b.code) || a.code.localeCompare(b.code)),
      })).filter((p) => p.rows.length > 0);
      return { patient, banner, kinds, withheld: [...decision.withheld.categories], days, panels, olderBefore: dayRows.length > FLOWSHEET_DAYS ? days.at(-1)! : null, scopeNote };
    },
  });
}
