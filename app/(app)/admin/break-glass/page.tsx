import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { AccessDeniedError, listBreakGlassEvents, listDisasterModes, listSelfConsentUses } from "@/lib/record";
import { isoDateTime } from "@/lib/format/dates";
import { prefectureName } from "@/lib/format/prefectures";
import { disasterModeAction, reviewBreakGlassAction, reviewSelfConsentAction } from "@/app/actions/break-glass-review";
import { Notice } from "@/components/Notice";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.emergency.reviewTitle);

/** Administrators: every break-glass event to review (overdue ones highlighted), and disaster mode. */
export default async function BreakGlassReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { t, locale } = await getMessages();
  const e = t.emergency;
  let events, regions, selfUses;
  try {
    // the queue first: a refusal is audited once, as the queue's, and nothing else is asked
    events = await listBreakGlassEvents(actor);
    [regions, selfUses] = await Promise.all([listDisasterModes(actor), listSelfConsentUses(actor)]);
  } catch (err) {
    if (err instanceof AccessDeniedError) return <p role="alert">{t.admin.refused}</p>;
    throw err;
  }
  const sp = await searchParams;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">{e.reviewTitle}</h1>
      {sp.done === "reviewed" && (
        <Notice tone="done">{e.reviewDone}</Notice>
      )}
      {typeof sp.error === "string" && (
        <Notice tone="error">{sp.error === "note" ? e.note : sp.error === "outcome" ? e.outcomeRequired : (t.denied.reasons[sp.error] ?? t.error.invalidInput)}</Notice>
      )}
      <section aria-labelledby="disaster-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="disaster-title" className="text-lg font-semibold">
          {e.disasterTitle}
        </h2>
        <ul className="mt-2 space-y-1">
          {regions.map((r) => (
            <li key={r.region}>
              <form action={disasterModeAction} className="flex items-center gap-3">
                <input type="hidden" name="region" value={r.region} />
                <input type="hidden" name="active" value={r.active ? "0" : "1"} />
                <span className="font-medium">{prefectureName(r.region, locale)}</span>
                <span className={r.active ? "font-bold text-red-800" : "text-slate-700"}>{r.active ? e.disasterActive : e.disasterInactive}</span>
                <button type="submit" className="rounded border border-slate-500 px-2 py-0.5 text-sm font-semibold">
                  {r.active ? e.disasterOff : e.disasterOn}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="self-consent-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="self-consent-title" className="text-lg font-semibold">
          {e.selfConsentTitle}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{e.selfConsentIntro}</p>
        {selfUses.length === 0 ? (
          <p className="mt-2">{e.selfConsentNone}</p>
        ) : (
          <ul className="mt-2 space-y-2" data-testid="self-consent-uses">
            {selfUses.map((c) => (
              <li key={c.consentId} className="rounded border-2 border-amber-500 p-3">
                <strong>{c.patientName}</strong> · {c.recordedBy}
                {t.paren(t.list([t.admin.professions[c.profession] ?? c.profession, c.facilityName]))}
                <span className="block text-sm">
                  {t.consent.capturedAt}: {isoDateTime(c.capturedAt)} · {e.selfConsentUsed}: {isoDateTime(c.firstUsedAt)} · {t.consent.methods[c.method] ?? c.method} / {t.consent.identities[c.identityVerification] ?? c.identityVerification}
                </span>
                {c.mayReview ? (
                  <form action={reviewSelfConsentAction} className="mt-1">
                    <input type="hidden" name="patientId" value={c.patientId} />
                    <input type="hidden" name="consentId" value={c.consentId} />
                    <button type="submit" className="rounded bg-blue-700 px-3 py-1 text-sm font-semibold text-white hover:bg-blue-800">
                      {e.review}
                    </button>
                  </form>
                ) : (
                  <p className="mt-1 text-sm font-semibold">{t.denied.reasons.SEPARATION_OF_DUTIES}</p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      {events.length === 0 ? (
        <p>{e.noEvents}</p>
      ) : (
        <ul className="space-y-3" data-testid="break-glass-events">
          {events.map((g) => (
            <li key={g.id} className={`rounded-lg border-2 bg-white p-4 ${g.overdue ? "border-red-700 bg-red-50" : g.reviewedAt ? "border-slate-300" : "border-amber-500"}`} data-grant={g.id}>
              <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
                <strong className="text-lg">{g.patientName}</strong>
                <span>
                  {e.who}: {g.userName}
                  {t.paren(t.list([t.admin.professions[g.profession] ?? g.profession, g.facilityName]))}
                </span>
                <span>
                  {e.when}: {isoDateTime(g.startedAt)} · {e.state[g.state]}
                </span>
                {g.overdue && <strong className="text-red-800">{e.overdue}</strong>}
              </div>
              <p className="mt-1">
                {e.reason}: <strong>{e.reasons[g.reason] ?? g.reason}</strong>
                {g.reasonText ? t.paren(g.reasonText) : ""}
              </p>
              <p className="mt-1 text-sm">
                {e.viewed}: {g.views.length === 0 ? t.dash : t.list(g.views.map((v) => `${isoDateTime(v.at)} ${t.report.whats[v.what] ?? v.what}`))}
              </p>
              <p className="mt-1 text-sm">
                <Link href={`/patients/${encodeURIComponent(g.patientId)}/access-report`} className="text-blue-800 underline">
                  {t.report.title}
                </Link>
              </p>
              {!g.reviewedAt && !g.mayReview ? (
                <p className="mt-2 text-sm font-semibold text-slate-800">{g.state === "ACTIVE" ? t.denied.reasons.GRANT_STILL_ACTIVE : t.denied.reasons.SEPARATION_OF_DUTIES}</p>
              ) : g.reviewedAt ? (
                <p className="mt-2 text-sm">
                  {e.reviewed}: {isoDateTime(g.reviewedAt)} · {g.reviewedBy} · <strong>{e.outcome[g.reviewOutcome ?? ""] ?? g.reviewOutcome}</strong> {g.reviewNote ?? ""}
                </p>
              ) : (
                // noValidate: an outcome left unchosen is refused by the server in the page's own language; the
                // browser's bubble spoke the browser's (review 12)
                <form action={reviewBreakGlassAction} noValidate className="mt-2 flex flex-wrap items-end gap-3">
                  <input type="hidden" name="patientId" value={g.patientId} />
                  <input type="hidden" name="grantId" value={g.id} />
                  <fieldset>
                    <legend className="sr-only">{e.review}</legend>
                    {(["APPROPRIATE", "FOLLOW_UP"] as const).map((o) => (
                      <label key={o} className="mr-3 inline-flex items-center gap-1">
                        {/* nothing chosen for the reviewer: one click must not record an access as appropriate */}
                        <input type="radio" name="outcome" value={o} required /> {e.outcome[o]}
                      </label>
                    ))}
                  </fieldset>
                  <label className="flex flex-col text-sm">
                    {e.note}
                    <input name="note" className="mt-1 w-72 rounded border border-slate-400 px-2 py-1" />
                  </label>
                  <button type="submit" className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
                    {e.review}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
