import { createHmac } from "node:crypto";
import { authSecret } from "../env";

/**
 * What a failed login's audit event keeps of the login id typed. The audit trail is append-only, and
 * what was typed into the id field is sometimes the password: so a login id that matches no account
 * is never stored. The event says it was unknown and keeps a keyed hash (HMAC-SHA-256 with the server
 * secret): repeated attempts with the same text can be grouped, and an investigator who has a
 * candidate id and the secret can check it, but nobody can read the text back from the log.
 */
export function loginIdForAudit(loginId: string, known: boolean): { loginId: string } | { loginIdKnown: false; loginIdHmac: string } {
  if (known) return { loginId };
  return { loginIdKnown: false, loginIdHmac: createHmac("sha256", authSecret()).update(`login-id\0${loginId}`).digest("hex") };
}
