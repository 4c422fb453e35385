import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { canBreakGlass, workStart, type Actor } from "@/lib/auth/actor";
import type { Messages } from "@/lib/i18n/messages";
import { AccessDeniedError, emergencyGrantState, outcomeOf } from "@/lib/record";
import { AccessDenied } from "@/components/AccessDenied";
import { LeaveStaleRecord } from "@/components/StaleRecord";
import { sendAwayIfDatabaseDown } from "@/lib/http/database-away";

/**
 * Runs a lib/record read for a patient page and turns its typed errors into what the user should see:
 * the 404 page, the refusal screen with the next step, or a validation message. Anything else is a bug
 * and goes to the error boundary.
 */
export async function readOrExplain<T>(
  actor: Actor,
  t: Messages,
  read: () => Promise<T>,
  /** the page without its query options: offered when an option in the address is malformed */
  plainHref?: string,
): Promise<{ ok: true; value: T } | { ok: false; screen: ReactNode }> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    await sendAwayIfDatabaseDown(e);
    const o = outcomeOf(e);
    if (!o) throw e;
    if (o.kind === "notFound") notFound();
    // a half-finished login never gets this far (requireActor sends it on), but if it did: the refusal screen
    if (o.kind === "denied" || o.kind === "unauthenticated") {
      // Under an active break-glass grant the other tabs still refuse (the grant opens the emergency
      // dataset only): the refusal leads back to it.
      const patientId = e instanceof AccessDeniedError ? e.patientId : "";
      const grant = o.kind === "denied" && patientId ? await emergencyGrantState(actor, patientId) : null;
      const emergencyHref = grant?.state === "ACTIVE" ? `/emergency/${encodeURIComponent(patientId)}` : undefined;
      const reason = o.kind === "denied" ? o.reason : o.code;
      return {
        ok: false,
        screen: (
          <>
            {/* reached by a click from this patient's pages, drawn before the access ended: leave them behind */}
            {patientId && <LeaveStaleRecord record={`patient:${patientId}`} status={o.kind === "denied" ? 403 : 401} reason={reason} />}
            <AccessDenied reason={reason} t={t} canBreakGlass={canBreakGlass(actor)} emergencyHref={emergencyHref} patient back={workStart(actor)} />
          </>
        ),
      };
    }
    // invalid input (a malformed filter or cursor in the address)
    return {
        ok: false,
        screen: (
          <div role="alert" className="space-y-2 rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
            <p>{t.error.invalidInput}</p>
            {plainHref && (
              <Link href={plainHref} className="font-semibold text-blue-800 underline">
                {t.error.withoutOptions}
              </Link>
            )}
          </div>
        ),
      };
  }
}
