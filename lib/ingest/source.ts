import type { Sensitivity } from "../access/decide";
import type { AuditActor } from "../audit";

/** The facility records come from, as the import decided it may send (lib/access decideIngest). */
export interface IngestSource {
  facilityId: string;
  /** the 医療機関コード: a FHIR patient id must be this facility's own */
  facilityCode: string;
  careCategory: Sensitivity;
  /** who ran it: an operator's name for the CLI, a key's id for the API */
  by: string;
  /**
   * the signed-in administrator whose decision files these records (held documents filed when they
   * confirm an identity): their events are theirs, so that searching the audit by them finds them
   */
  auditAs?: AuditActor;
}
