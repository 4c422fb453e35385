// The one way in to patient data for app/ (DESIGN.md): every function takes the actor, decides with
// lib/access and writes lib/audit.
export { searchPatients, normaliseKana, type SearchResult, type PatientHit } from "./search";
export { getPatientView, getTimelinePage, facilityDirectory, type PatientView, type PatientIdentity } from "./patient";
export { AccessDeniedError, PatientNotFoundError, InvalidInputError } from "./errors";
export type { TimelineEntry, TimelinePage } from "./timeline";
export type { IntegratedSummary, SafetyBanner, RecordMapCell, Problem, CheckupSummary } from "./summary";
export type { CurrentMed, DuplicateWarning, AllergyConflict } from "./medication";
