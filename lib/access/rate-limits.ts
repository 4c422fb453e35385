/**
 * How often a user may try the look-ups that could otherwise be used to browse who is a patient:
 * the card look-up at the desk (consent, access report) and the emergency identification step.
 * The numbers are policy: a busy reception or ER desk never meets them, a script trying names does.
 */
export const RATE_LIMITS = {
  /** card look-ups that found no patient, per user */
  CARD_LOOKUP_FAILURE: { max: 10, windowMinutes: 15 },
  /** emergency identification searches, per user (each lists at most a handful of exact matches) */
  EMERGENCY_IDENTIFY: { max: 20, windowMinutes: 15 },
  /**
   * documents pushed to /api/fhir, per facility key: far above what a hospital's system sends (and
   * above what the importer files per second), far below what a leaked key could pour in
   */
  FHIR_PUSH: { max: 600, windowMinutes: 1 },
} as const;

export type RateLimited = keyof typeof RATE_LIMITS;
