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
} as const;

export type RateLimited = keyof typeof RATE_LIMITS;
