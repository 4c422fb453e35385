/**
 * One Tsunagu audit event as a FHIR R4 AuditEvent shaped as IHE BALP (Basic Audit Log Patterns): the
 * user as the requesting agent with the purpose of use, the server as the destination, Tsunagu as the
 * observer, the patient as an entity (type 1 Person, role 1 Patient). A read of one patient's record
 * claims BALP's PatientRead profile. Break-glass is DICOM's Security Alert (110113) with Emergency
 * Override Started (110127) or Stopped (110138), and its purpose is ETREAT, as is every read under it.
 * Pure: no database, no actor.
 */

/** The stored fields an AuditEvent is made from (lib/record's AuditRow satisfies it). */
export interface AuditSource {
  seq: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorProfession: string | null;
  facilityId: string | null;
  facilityName: string | null;
  action: string;
  patientId: string | null;
  purpose: string | null;
  outcome: string;
  detail: unknown;
}

const DCM = "http://dicom.nema.org/resources/ontology/DCM";
const EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
const RESTFUL = "http://hl7.org/fhir/restful-interaction";
const ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
const BALP = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit";
/** Tsunagu's own names for its actions and identifiers (the README's example host) */
export const TSUNAGU_AUDIT_ACTION = "https://tsunagu.example.jp/fhir/CodeSystem/audit-action";
const TSUNAGU_USER = "https://tsunagu.example.jp/fhir/sid/user";
const TSUNAGU_FACILITY = "https://tsunagu.example.jp/fhir/sid/facility";

type Coding = { system: string; code: string; display: string };
const dcm = (code: string, display: string): Coding => ({ system: DCM, code, display });
const rest = { system: EVENT_TYPE, code: "rest", display: "Restful Operation" };
const interaction = (code: "read" | "search-type" | "create" | "update" | "delete"): Coding => ({ system: RESTFUL, code, display: code });

/** What kind of event an action is: DICOM / FHIR audit type, subtype, and the CRUDE action letter. */
function kindOf(action: string): { type: Coding; subtype: Coding[]; action: "C" | "R" | "U" | "D" | "E" } {
  switch (action) {
    case "BREAK_GLASS_START":
    case "BREAK_GLASS_DENIED":
      return { type: dcm("110113", "Security Alert"), subtype: [dcm("110127", "Emergency Override Started")], action: "E" };
    case "BREAK_GLASS_STOP":
      return { type: dcm("110113", "Security Alert"), subtype: [dcm("110138", "Emergency Override Stopped")], action: "E" };
    case "LOGIN":
    case "LOGIN_FAILED":
    case "REAUTHENTICATION_FAILED":
    case "RECOVERY_CODE_USED":
      return { type: dcm("110114", "User Authentication"), subtype: [dcm("110122", "Login")], action: "E" };
    case "LOGOUT":
    case "SESSIONS_ENDED":
      return { type: dcm("110114", "User Authentication"), subtype: [dcm("110123", "Logout")], action: "E" };
    case "PATIENT_SEARCH":
    case "PATIENT_IDENTIFY":
    case "AUDIT_SEARCH":
    case "AUDIT_EXPORT":
      return { type: rest, subtype: [interaction("search-type")], action: "E" };
    case "RECORDS_IMPORTED":
    case "CONSENT_RECORDED":
    case "USER_CREATED":
    case "WARNING_ACKNOWLEDGED":
    case "FACILITY_KEY_ISSUED":
      return { type: rest, subtype: [interaction("create")], action: "C" };
    case "CONSENT_WITHDRAWN":
    case "FACILITY_KEY_REVOKED":
    case "USER_DEACTIVATED":
    case "IDENTITY_UNLINKED":
      return { type: rest, subtype: [interaction("delete")], action: "D" };
    default:
      // views (RECORD_VIEW, ACCESS_REPORT_VIEW, …) are reads; the other changes are updates
      return /VIEW|_DENIED$/.test(action) ? { type: rest, subtype: [interaction("read")], action: "R" } : { type: rest, subtype: [interaction("update")], action: "U" };
  }
}

const PURPOSE: Record<string, Coding> = {
  TREATMENT: { system: ACT_REASON, code: "TREAT", display: "treatment" },
  EMERGENCY: { system: ACT_REASON, code: "ETREAT", display: "Emergency Treatment" },
  ADMINISTRATION: { system: ACT_REASON, code: "HOPERAT", display: "healthcare operations" },
  PATIENT_REQUEST: { system: ACT_REASON, code: "PATRQT", display: "patient requested" },
};

/** FHIR AuditEvent.outcome: 0 success, 4 minor failure (a refusal), 8 serious failure. */
const OUTCOME: Record<string, "0" | "4" | "8"> = { ALLOW: "0", SUCCESS: "0", DENY: "4", FAILURE: "8" };

export function balpAuditEvent(e: AuditSource): Record<string, unknown> {
  const kind = kindOf(e.action);
  const breakGlass = e.action.startsWith("BREAK_GLASS_") && e.action !== "BREAK_GLASS_REVIEWED";
  const purpose = breakGlass ? PURPOSE.EMERGENCY : e.purpose ? PURPOSE[e.purpose] : undefined;
  const reason = typeof (e.detail as { reason?: unknown } | null)?.reason === "string" ? String((e.detail as { reason: string }).reason) : undefined;
  const patientRead = kind.action === "R" && e.patientId && e.outcome === "ALLOW";
  return {
    resourceType: "AuditEvent",
    id: e.seq,
    ...(patientRead ? { meta: { profile: [`${BALP}.PatientRead`] } } : {}),
    type: kind.type,
    subtype: [...kind.subtype, { system: TSUNAGU_AUDIT_ACTION, code: e.action, display: e.action }],
    action: kind.action,
    recorded: e.at,
    outcome: OUTCOME[e.outcome] ?? "8",
    ...(reason ? { outcomeDesc: reason } : {}),
    ...(purpose ? { purposeOfEvent: [{ coding: [purpose] }] } : {}),
    agent: [
      {
        type: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP", display: "information recipient" }] },
        ...(e.actorProfession ? { role: [{ text: e.actorProfession }] } : {}),
        who: e.actorId ? { identifier: { system: TSUNAGU_USER, value: e.actorId }, ...(e.actorName ? { display: e.actorName } : {}) } : { display: "unknown" },
        requestor: true,
        ...(e.facilityId ? { location: { identifier: { system: TSUNAGU_FACILITY, value: e.facilityId }, ...(e.facilityName ? { display: e.facilityName } : {}) } } : {}),
        ...(purpose ? { purposeOfUse: [{ coding: [purpose] }] } : {}),
      },
      { type: { coding: [dcm("110152", "Destination Role ID")] }, who: { display: "Tsunagu" }, requestor: false },
    ],
    source: { observer: { display: "Tsunagu" }, type: [{ system: "http://terminology.hl7.org/CodeSystem/security-source-type", code: "4", display: "Application Server" }] },
    entity: [
      ...(e.patientId
        ? [
            {
              what: { reference: `Patient/${e.patientId}` },
              type: { system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "1", display: "Person" },
              role: { system: "http://terminology.hl7.org/CodeSystem/object-role", code: "1", display: "Patient" },
            },
          ]
        : []),
      ...(e.detail === null || e.detail === undefined
        ? []
        : [{ type: { system: "http://terminology.hl7.org/CodeSystem/audit-entity-type", code: "2", display: "System Object" }, description: "Tsunagu audit detail", detail: [{ type: "detail", valueString: JSON.stringify(e.detail) }] }]),
    ],
  };
}
