import Link from "next/link";
import type { Messages } from "@/lib/i18n/messages";

/**
 * The refusal screen: why, and what to do next. Never an empty record. `emergencyHref`: the user has an
 * active break-glass grant for this patient (decided in lib/record), so the way on is its emergency
 * dataset, not a second grant.
 */
export function AccessDenied({ reason, t, canBreakGlass, emergencyHref }: { reason: string; t: Messages; canBreakGlass: boolean; emergencyHref?: string }) {
  const consentFixable = reason === "NO_CONSENT" || reason === "CONSENT_WITHDRAWN" || reason === "CONSENT_EXPIRED";
  return (
    <section role="alert" aria-labelledby="denied-title" className="mx-auto max-w-2xl rounded-lg border-2 border-amber-500 bg-amber-50 p-6">
      <h1 id="denied-title" className="text-xl font-bold text-amber-950">
        {t.denied.title}
      </h1>
      <p className="mt-3 text-amber-950">{t.denied.reasons[reason] ?? reason}</p>
      {emergencyHref && (
        <p className="mt-3 rounded border-2 border-red-700 bg-white px-3 py-2 font-semibold text-red-900" data-testid="grant-active">
          {t.emergency.grantActiveHere}{" "}
          <Link href={emergencyHref} className="text-red-800 underline">
            {t.emergency.openDataset}
          </Link>
        </p>
      )}
      {consentFixable && <p className="mt-3 text-amber-950">{t.denied.nextConsent}</p>}
      {consentFixable && canBreakGlass && !emergencyHref && (
        <p className="mt-2 font-semibold text-red-800">
          {t.denied.nextBreakGlass}{" "}
          <Link href="/emergency" className="underline">
            {t.emergency.nav}
          </Link>
        </p>
      )}
      <p className="mt-3 text-sm text-slate-700">{t.denied.audited}</p>
      <Link href="/patients" className="mt-4 inline-block text-blue-800 underline">
        {t.denied.back}
      </Link>
    </section>
  );
}
