import type { Tx } from "../db/client";
import type { Actor } from "../auth/actor";
import { latestOnlyKinds, scopeHiddenKinds } from "../access/data-kinds";
import type { RecordKind } from "../format/record-kinds";
import type { Allowed } from "./guard";
import { readEmergencyLabs, type EmergencyLab } from "./emergency-dataset";

/**
 * What a patient page says of its read's scope (lib/access decides both parts): the kinds the profession
 * sees that the scope leaves out, so that the page says the scope hides them rather than that there are
 * none, and, under an emergency scope, the emergency lab values it keeps — the same list the
 * break-glass page shows.
 */
export interface ScopeNote {
  hidden: RecordKind[];
  /** the latest value of each emergency test; null when the read takes no such values (a full scope) */
  emergencyLabs: EmergencyLab[] | null;
}

/** The scope note of one read, under its decision: no statement at all under a full scope. */
export async function readScopeNote(tx: Tx, actor: Actor, patientId: string, decision: Allowed, at: Date): Promise<ScopeNote> {
  const latest = latestOnlyKinds(actor.profession, decision);
  return {
    hidden: scopeHiddenKinds(actor.profession, decision.scope),
    emergencyLabs: latest.length ? await readEmergencyLabs(tx, patientId, latest, decision.withheld, at) : null,
  };
}
