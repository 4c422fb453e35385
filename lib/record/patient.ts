import { z } from "zod";
import { getDb } from "../db/client";
import type { Actor } from "../auth/actor";
import { contactKinds, visibleKinds } from "../access/data-kinds";
import { RECORD_KINDS, type RecordKind } from "../format/record-kinds";
import type { Scope, Sensitivity } from "../access/decide";
import { decodeCursor, type Cursor } from "./cursor";
import { InvalidInputError } from "./errors";
import { isoDay, jstDayStart, optional, searchText } from "./input";
import { readIdentity, type PatientIdentity } from "./identity";
import { now } from "../clock";
import { readSummary, type IntegratedSummary } from "./summary";
import { actorFacts, withPatientAccess, type Allowed } from "./guard";
import { decideWarningAcknowledgement } from "../access/duties";
import { countsByFacility, readRecordMap, type RecordMap } from "./record-map";
import { readTimelinePage, type TimelineFilters, type TimelinePage, type TimelineQuery } from "./timeline";
import { ReadBatch } from "./read-batch";
import { readScopeNote, type ScopeNote } from "./scope-note";

export interface PatientView {
  patient: PatientIdentity;
  scope: Scope;
  /** the patient withholds these categories from this facility: the UI says so, never what */
  withheld: Sensitivity[];
  kinds: RecordKind[];
  summary: IntegratedSummary;
  timeline: TimelinePage;
  /** what the scope leaves out, and under an emergency scope the emergency lab values it keeps */
  scopeNote: ScopeNote;
}

const opt = optional;

const timelineInput = z
  .object({
    cursor: opt(z.string().max(500)),
    /** comma-separated or an array */
    kinds: opt(z.union([z.array(z.string()), z.string().transform((s) => s.split(","))]).pipe(z.array(z.enum(RECORD_KINDS)))),
    facility: opt(z.string().max(50)),
    from: opt(isoDay),
    to: opt(isoDay),
    // NFKC: ＨｂＡ１ｃ typed in full width finds HbA1c, as the patient search does
    q: opt(searchText(100)),
    limit: opt(z.coerce.number().int().min(1).max(200)),
  })
  // A range that ends before it starts is a mistake to point out, not an empty result to show.
  .refine((d) => !d.from || !d.to || d.from <= d.to, { path: ["range"] });


interface TimelineRequest {
  rawCursor: string | null;
  cursor: Cursor | null;
  kinds?: RecordKind[];
  limit: number;
  filters: TimelineFilters;
}

/**
 * Rows on the first screen: what a clinician reads before scrolling (and each row is rendered twice,
 * as HTML and as data for the browser); scrolling fetches pages of 50.
 */
export const FIRST_SCREEN_ROWS = 25;
const PAGE_ROWS = 50;

export function parseTimelineRequest(input: unknown, defaultLimit = PAGE_ROWS): TimelineRequest {
  const parsed = timelineInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(String(parsed.error.issues[0]?.path[0] ?? "input"), "invalid timeline request");
  const d = parsed.data;
  return {
    rawCursor: d.cursor ?? null,
    cursor: decodeCursor(d.cursor),
    kinds: d.kinds,
    limit: d.limit ?? defaultLimit,
    filters: {
      facilityId: d.facility,
      from: d.from ? jstDayStart(d.from) : undefined,
      // "to" is inclusive for the user: everything before the start of the next day.
      to: d.to ? new Date(jstDayStart(d.to).getTime() + 86_400_000) : undefined,
      text: d.q,
    },
  };
}

/** What this actor may see of this patient under this decision: role × kind, scope, withheld categories. */
function timelineQuery(actor: Actor, patientId: string, decision: Allowed, req: TimelineRequest): TimelineQuery {
  const allowed = visibleKinds(actor.profession, decision.scope);
  const kinds = req.kinds ? allowed.filter((k) => req.kinds!.includes(k)) : allowed;
  return { patientId, kinds, withheld: decision.withheld, cursor: req.cursor, limit: req.limit, filters: req.filters };
}

/**
 * The patient page: identity, where they have records, and the first page of their timeline, read
 * under one access decision and one audit event.
 */
export async function getPatientView(actor: Actor, patientId: string, input: unknown = {}): Promise<PatientView> {
  const req = parseTimelineRequest(input, FIRST_SCREEN_ROWS);
  return withPatientAccess(actor, patientId, "TREATMENT", {
    replica: true,
    action: "RECORD_VIEW",
    what: "patient-record",
    detail: { cursor: req.rawCursor },
    header: true,
    read: async (tx, decision, header) => {
      const q = timelineQuery(actor, patientId, decision, req);
      // the header names facilities by what the viewer may see at all, not by the timeline's filter
      const seen = visibleKinds(actor.profession, decision.scope);
      const at = now();
      // The summary's reads and the timeline's go as one statement (lib/record/read-batch.ts): each
      // asks for its reads before awaiting any, and send() goes last. Promise.all, so that a failed
      // statement is every read's error and none is left unhandled.
      const batch = new ReadBatch(tx);
      const [summary, timeline] = await Promise.all([
        readSummary(batch, tx, patientId, q.kinds, decision.withheld, at, actor.facilityId, decideWarningAcknowledgement(actorFacts(actor), decision.scope).allow, contactKinds(actor.profession, decision.scope)),
        readTimelinePage(batch, q),
        batch.send(),
      ]);
      const scopeNote = await readScopeNote(tx, actor, patientId, decision, at);
      // unfiltered, the record map was read under the header's very kinds and withholding: its counts serve both
      const sameKinds = q.kinds.length === seen.length;
      const patient = await readIdentity(tx, patientId, { facilityId: actor.facilityId, kinds: seen, withheld: decision.withheld }, sameKinds ? countsByFacility(summary.map) : undefined, header ?? undefined);
      return {
        patient,
        scope: decision.scope,
        withheld: [...decision.withheld.categories],
        kinds: [...q.kinds],
        summary,
        timeline,
        scopeNote,
      };
    },
  });
}

/** A further page of the timeline (scrolling), under its own access decision and audit event. */
export async function getTimelinePage(actor: Actor, patientId: string, input: unknown = {}): Promise<TimelinePage> {
  const req = parseTimelineRequest(input);
  return withPatientAccess(actor, patientId, "TREATMENT", {
    replica: true,
    action: "RECORD_VIEW",
    what: "timeline-page",
    detail: { cursor: req.rawCursor },
    read: (tx, decision) => readTimelinePage(tx, timelineQuery(actor, patientId, decision, req)),
  });
}

/**
 * The monthly record map, for a record whose first screen showed years (a long one), under its own
 * access decision and audit event.
 */
export async function getMonthlyRecordMap(actor: Actor, patientId: string): Promise<RecordMap> {
  return withPatientAccess(actor, patientId, "TREATMENT", {
    replica: true,
    action: "RECORD_VIEW",
    what: "record-map",
    read: (tx, decision) => readRecordMap(tx, patientId, visibleKinds(actor.profession, decision.scope), decision.withheld, "month"),
  });
}

/**
 * How long a read of the facility directory is reused. Facilities join or rename rarely (an operator's
 * change, not a clinician's), so a minute's staleness costs nothing, and every patient page skips a
 * statement.
 */
const DIRECTORY_TTL_MS = 60_000;
let directory: { at: number; names: Promise<Record<string, string>> } | null = null;
/** the last directory read that succeeded: labels to show while the database is briefly away */
let lastGood: Record<string, string> | null = null;

/** Facility names by id: directory data (not patient data), for labelling timeline rows. */
export function facilityDirectory(): Promise<Record<string, string>> {
  const t = Date.now();
  if (!directory || t - directory.at > DIRECTORY_TTL_MS) {
    const names = getDb()
      .then((db) => db.facility.findMany({ select: { id: true, name: true } }))
      .then((rows) => (lastGood = Object.fromEntries(rows.map((r) => [r.id, r.name]))))
      // a failed read is not remembered (the next page asks the database again); meanwhile the
      // names last read label the page rather than fail a record that was already read and audited
      .catch((e) => {
        if (directory?.names === names) directory = null;
        if (lastGood) return lastGood;
        throw e;
      });
    directory = { at: t, names };
  }
  return directory.names;
}
