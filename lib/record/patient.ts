import { z } from "zod";
import { getDb } from "../db/client";
import type { Actor } from "../auth/actor";
import { RECORD_KINDS, visibleKinds, type RecordKind } from "../access/data-kinds";
import type { Scope, Sensitivity } from "../access/decide";
import { decodeCursor, type Cursor } from "./cursor";
import { InvalidInputError } from "./errors";
import { withPatientAccess, type Allowed } from "./guard";
import { readTimelinePage, type TimelinePage, type TimelineQuery } from "./timeline";

export interface PatientIdentity {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  sex: string;
  birthDate: string;
  insurerNumber: string | null;
  insuredSymbol: string | null;
  insuredNumber: string | null;
  /** facilities holding this patient's records (from the patient links) */
  facilities: { id: string; name: string; localPatientId: string }[];
}

export interface PatientView {
  patient: PatientIdentity;
  scope: Scope;
  /** the patient withholds these categories from this facility: the UI says so, never what */
  withheld: Sensitivity[];
  kinds: RecordKind[];
  timeline: TimelinePage;
}

const timelineInput = z.object({
  cursor: z.string().max(500).optional(),
  kinds: z.array(z.enum(RECORD_KINDS)).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

interface TimelineRequest {
  rawCursor: string | null;
  cursor: Cursor | null;
  kinds?: RecordKind[];
  limit: number;
}

function parseTimelineRequest(input: unknown): TimelineRequest {
  const parsed = timelineInput.safeParse(input);
  if (!parsed.success) throw new InvalidInputError(String(parsed.error.issues[0]?.path[0] ?? "input"), "invalid timeline request");
  return { rawCursor: parsed.data.cursor ?? null, cursor: decodeCursor(parsed.data.cursor), kinds: parsed.data.kinds, limit: parsed.data.limit };
}

/** What this actor may see of this patient under this decision: role × kind, scope, withheld categories. */
function timelineQuery(actor: Actor, patientId: string, decision: Allowed, req: TimelineRequest): TimelineQuery {
  const allowed = visibleKinds(actor.profession, decision.scope);
  const kinds = req.kinds ? allowed.filter((k) => req.kinds!.includes(k)) : allowed;
  return { patientId, kinds, withheld: decision.withheld, cursor: req.cursor, limit: req.limit };
}

/**
 * The patient page: identity, where they have records, and the first page of their timeline, read
 * under one access decision and one audit event.
 */
export async function getPatientView(actor: Actor, patientId: string, input: unknown = {}): Promise<PatientView> {
  const req = parseTimelineRequest(input);
  return withPatientAccess(actor, patientId, "TREATMENT", {
    action: "RECORD_VIEW",
    what: "patient-record",
    detail: { cursor: req.rawCursor },
    read: async (tx, decision) => {
      const q = timelineQuery(actor, patientId, decision, req);
      const p = await tx.patient.findUniqueOrThrow({
        where: { id: patientId },
        include: { links: { include: { facility: { select: { name: true } } }, orderBy: { facilityId: "asc" } } },
      });
      const timeline = await readTimelinePage(tx, q);
      return {
        patient: {
          id: p.id,
          familyName: p.familyName,
          givenName: p.givenName,
          familyNameKana: p.familyNameKana,
          givenNameKana: p.givenNameKana,
          sex: p.sex,
          birthDate: p.birthDate.toISOString().slice(0, 10),
          insurerNumber: p.insurerNumber,
          insuredSymbol: p.insuredSymbol,
          insuredNumber: p.insuredNumber,
          facilities: p.links.map((l) => ({ id: l.facilityId, name: l.facility.name, localPatientId: l.localPatientId })),
        },
        scope: decision.scope,
        withheld: decision.withheld,
        kinds: [...q.kinds],
        timeline,
      };
    },
  });
}

/** A further page of the timeline (scrolling), under its own access decision and audit event. */
export async function getTimelinePage(actor: Actor, patientId: string, input: unknown = {}): Promise<TimelinePage> {
  const req = parseTimelineRequest(input);
  return withPatientAccess(actor, patientId, "TREATMENT", {
    action: "RECORD_VIEW",
    what: "timeline-page",
    detail: { cursor: req.rawCursor },
    read: (tx, decision) => readTimelinePage(tx, timelineQuery(actor, patientId, decision, req)),
  });
}

/** Facility names by id: directory data (not patient data), for labelling timeline rows. */
export async function facilityDirectory(): Promise<Record<string, string>> {
  const db = await getDb();
  const rows = await db.facility.findMany({ select: { id: true, name: true } });
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}
