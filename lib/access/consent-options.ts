/** What a consent can say: shared by lib/record (validation) and the consent form (choices). Pure data. */
export const CONSENT_SCOPES = ["FULL", "EMERGENCY"] as const;
export const CONSENT_METHODS = ["WRITTEN", "VERBAL_WITNESSED", "CARD_READER"] as const;
export const IDENTITY_CHECKS = ["MYNUMBER_CARD", "INSURANCE_CARD", "OTHER"] as const;
/** Categories a patient may withhold; NORMAL records are what the consent is about. */
export const WITHHOLDABLE = ["PSYCHIATRIC", "INFECTIOUS", "GENETIC", "REPRODUCTIVE"] as const;
