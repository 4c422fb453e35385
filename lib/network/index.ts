/** Network administration: the participating facilities, their roles, suspension and push keys; the identity review of imports. */
export { listFacilities, createFacility, updateFacility, FACILITY_PAGE_SIZE, FACILITY_ROLES, FACILITY_STATUSES, type FacilityRow, type FacilityListQuery } from "./facilities";
export { getFacility, type FacilityPage } from "./facility-page";
export { suspendFacility, reinstateFacility } from "./suspension";
export { issueKeyFor, revokeKeyOf } from "./keys";
export { FacilityAdminRefusedError, FacilityFieldsError, FacilityNotFoundError, FacilitySameNameError, FACILITY_FIELD_CODES } from "./errors";
export { FACILITY_KINDS } from "./facility-input";
export { PREFECTURES } from "./prefectures";
export { mayManageFacilities } from "./guard";
export { FACILITY_ADMIN_DENY_REASONS } from "../access/facility-admin";
export { getIdentityReview, decideIdentity, unlinkIdentity, IdentityReviewError, type ReviewCandidate, type ReviewComparison, type ReviewPatient } from "./identity-review";
export type { MatchRow, MatchField } from "../access/identity-match";
export { sentIdentity } from "../access/identity-match";
export { getDashboard, DASHBOARD_DAYS, DASHBOARD_WEEKS, type Dashboard, type FacilityKindCount, type ProfessionCount, type BreakGlassWeek, type RefusalDay } from "./dashboard";
