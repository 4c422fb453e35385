// The one way in to patient data for app/ (DESIGN.md): every function takes the actor, decides with
// lib/access and writes lib/audit.
export { recentPatients, RECENT_PATIENT_DAYS, type RecentPatient } from "./recent-patients";
export { searchPatients, normaliseKana, type SearchResult, type PatientHit } from "./search";
export { getPatientView, getTimelinePage, getMonthlyRecordMap, facilityDirectory, type PatientView } from "./patient";
export { acknowledgeWarning, ACK_REASON_MAX } from "./acknowledge";
export type { MedicationChecks, CheckedInteraction, Acknowledgement } from "./medication-checks";
export { getLabFlowsheet, FLOWSHEET_DAYS, type Flowsheet, type FlowsheetRow, type FlowsheetCell } from "./flowsheet";
export { getLabTrend, RECENT_TEST_DAYS, type LabTrend, type LabPoint, type LabTestOption, type RecentTest } from "./labs";
export type { MonthGroup, MonthItem } from "./medication-by-month";
export { getMedicationHistory, HISTORY_YEARS, type MedicationHistory, type MedHistoryRow, type DrugStrip } from "./medication-history";
export { getDocument, type DocumentView } from "./documents";
export { getExportPage, parseExportRequest, EXPORT_TYPES, EXPORT_PAGE_ROWS, type ExportPage, type ExportType } from "./export";
export { exportBundleStream } from "./export-bundle";
export { getConsentOverview, recordConsent, recordConsentByIdentity, identifyPatientByCard, withdrawConsent, type ConsentOverview, type ConsentEntry } from "./consent";
export { getAccessReport, identifyForAccessReport, type AccessReport, type AccessReportEntry } from "./access-report";
export { identifyForEmergency, requireBreakGlassRight, startBreakGlass, endBreakGlass, disasterModeFor, BREAK_GLASS_REASONS, type EmergencyCandidate } from "./break-glass";
export { getEmergencySummary, emergencyGrantState, type EmergencySummary, type EmergencyGrantState } from "./emergency";
export { listSelfConsentUses, reviewSelfConsentUse, type SelfConsentUse } from "./consent-review";
export { listBreakGlassEvents, reviewBreakGlass, listDisasterModes, setDisasterMode, REVIEW_DUE_DAYS, type BreakGlassEvent } from "./break-glass-review";
export { AccessDeniedError, PatientNotFoundError, DocumentNotFoundError, InvalidInputError, InvalidFieldsError, outcomeOf, type ErrorOutcome, type RefusalReason } from "./errors";
export type { PatientIdentity } from "./identity";
export type { SafetyBanner } from "./banner";
export type { TimelineEntry, TimelinePage } from "./timeline";
export type { IntegratedSummary, CheckupSummary } from "./summary";
export type { Problem } from "./problems";
export type { RecordMap, RecordMapCell, MapPeriod } from "./record-map";
export type { CurrentMed, DuplicateWarning, AllergyConflict, WarningDrug, AsNeededMed } from "./medication";
