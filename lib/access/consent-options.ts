/** What a consent can say: shared by lib/record (validation) and the consent form (choices). Pure data. */
export const CONSENT_SCOPES = ["FULL", "EMERGENCY"] as const;
export const CONSENT_METHODS = ["WRITTEN", "VERBAL_WITNESSED", "CARD_READER"] as const;
export const IDENTITY_CHECKS = ["MYNUMBER_CARD", "INSURANCE_CARD", "OTHER"] as const;
/** Categories a patient may withhold; NORMAL records are what the consent is about. */
export const WITHHOLDABLE = ["PSYCHIATRIC", "INFECTIOUS", "GENETIC", "REPRODUCTIVE"] as const;

/**
 * When a consent "until 2027-03-31" ends: it holds through that day in Japan, so it ends at the start of
 * the next. One rule for the server that stores it and for the form that warns about a later expiry.
 */
export const consentEndsAt = (lastDay: string): Date => new Date(new Date(`${lastDay}T00:00:00+09:00`).getTime() + 86_400_000);
