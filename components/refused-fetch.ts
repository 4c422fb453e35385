/**
 * A 401 or 403 from a patient data route: the session ended, or reading is no longer allowed (a consent
 * withdrawn while the page was open). Asking again cannot succeed — and every refused ask is a refusal
 * in the audit trail and the patient's access report — so it is never retried, and the record is taken
 * off the screen (RecordScreenGuard).
 */
export class RefusedError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string | null,
  ) {
    super("REFUSED");
  }
}

/** Throws a RefusedError for a 401 or 403 answer, with the reason the route gave. */
export async function throwIfRefused(res: Response): Promise<void> {
  if (res.status === 401 || res.status === 403) throw new RefusedError(res.status, ((await res.json().catch(() => ({}))) as { reason?: string }).reason ?? null);
}
