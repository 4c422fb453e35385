/**
 * How long identifying a patient by their card (or, in the ER, by the exact identification items)
 * lets that same user act on that patient: print the access report, start break-glass. A patient id
 * in an address or a form field is no evidence that the patient is in front of the user; a fresh
 * identification by this user is.
 */
export const IDENTIFICATION_MINUTES = 15;

export const identifiedRecently = (identifiedAt: Date | null, now: Date) =>
  identifiedAt !== null && identifiedAt.getTime() <= now.getTime() && now.getTime() - identifiedAt.getTime() < IDENTIFICATION_MINUTES * 60_000;
