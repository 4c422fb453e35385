import Link from "next/link";
import type { Messages } from "@/lib/i18n/messages";
import type { WorkStart } from "@/lib/auth/actor";

/**
 * The refusal screen: why, and what to do next. Never an empty record. `emergencyHref`: the user has an
 * active break-glass grant for this patient (decided in lib/record), so the way on is its emergency
 * dataset, not a second grant. `patient`: a patient's record was refused (else a function, such as
 * emergency access or patient search, and the screen does not speak of "this patient"). `back`: where
 * the user's work starts (lib/auth workStart), the way on; `here`: the refused page, when it is such a
 * start itself (the search refused to a clinician whose licence is unverified): a link back there
 * would only be refused, and audited, again (review 12), so the way on is the user's account. So it is
 * for a refusal of the user's licence, which refuses every start of their work alike.
 */
export function AccessDenied({ reason, t, canBreakGlass, emergencyHref, patient, back, here }: { reason: string; t: Messages; canBreakGlass: boolean; emergencyHref?: string; patient: boolean; back: WorkStart; here?: WorkStart }) {
  const toAccount = back === here || reason === "CREDENTIAL_UNVERIFIED";
  const consentFixable = reason === "NO_CONSENT" || reason === "CONSENT_WITHDRAWN" || reason === "CONSENT_EXPIRED";
  return (
    <section role="alert" aria-labelledby="denied-title" className="mx-auto max-w-2xl rounded-lg border-2 border-amber-500 bg-amber-50 p-6">
      <h1 id="denied-title" className="text-xl font-bold text-amber-950">
        {patient ? t.denied.title : t.scopeLimits.functionTitle}
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
      <p className="mt-3 text-sm text-slate-700">{patient ? t.denied.audited : t.scopeLimits.functionAudited}</p>
      <Link href={toAccount ? "/account" : back} className="mt-4 inline-block text-blue-800 underline">
        {toAccount ? t.scopeLimits.toAccount : t.scopeLimits.back[back]}
      </Link>
    </section>
  );
}
