import { identityValueText } from "@/components/identity-value";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getIdentityReview } from "@/lib/network";
import { isoDateTime } from "@/lib/format/dates";
import { identityDecisionAction, identityUnlinkAction } from "@/app/actions/identity-review";
import { Notice } from "@/components/Notice";
import { IdentityHeldReason } from "@/components/IdentityHeldReason";
import { IdentityComparison } from "@/components/IdentityComparison";
import { IdentitySent } from "@/components/IdentitySent";
import { orRefusal } from "../facilities/or-refusal";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.identityReview.title);

const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : undefined);
const count = (v: string | string[] | undefined) => Math.max(0, Number.parseInt(one(v) ?? "0", 10) || 0);

/**
 * The identity review: each facility patient id that waits, its record beside the patient it may be,
 * the items that agree and disagree marked in words and colour, then confirm or reject. The network
 * administrator only; every decision is lib/ingest's, audited.
 */
export default async function IdentityReviewPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { t, locale } = await getMessages();
  const r = t.identityReview;
  const v = t.identityVouch;
  const u = t.identityUnlink;
  const q = t.identityRequeue;
  const b = t.identityBranches;
  const sp = await searchParams;
  const named = { candidateId: one(sp.candidate), patientId: one(sp.patient)?.trim() || undefined };
  const read = await orRefusal(() => getIdentityReview(actor, named));
  if ("refused" in read) return <p role="alert">{read.refused === "NOT_NETWORK_ADMINISTRATOR" ? r.refused : (t.facilities.refusals[read.refused] ?? r.refused)}</p>;
  const done = one(sp.done);
  const error = one(sp.error);
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <h1 className="text-2xl font-bold">{r.title}</h1>
      <p className="text-sm text-slate-700">{r.intro}</p>
      {done === "unlink" ? (
        <Notice tone="done">{u.done(one(sp.unlinked) ?? "", one(sp.documents) ?? "0", one(sp.records) ?? "0")}</Notice>
      ) : done === "confirm" ? (
        <Notice tone="done">{q.confirmed({ filed: count(sp.filed), held: count(sp.held), sent: one(sp.sent) ?? null, linked: one(sp.linked) ?? null, notFiled: count(sp.notFiled) })}</Notice>
      ) : (
        done && r.done[done] && <Notice tone="done">{r.done[done]}</Notice>
      )}
      {error && <Notice tone="error">{r.errors[error] ?? b.errors[error] ?? v.errors[error] ?? u.errors[error] ?? t.facilities.refusals[error] ?? error}</Notice>}
      {read.value.length === 0 && <p>{r.none}</p>}
      {read.value.map((c) => {
        // a held id that is already linked is confirmed onto that patient only: compared with another, no confirmation
        const elsewhere = c.compared && c.linkedPatientId && c.compared.id !== c.linkedPatientId ? c.linkedPatientId : null;
        const byBranch = c.comparisons.some((cmp) => cmp.branch !== null && cmp.files !== null);
        // what other held files say: their 枝番 only when the comparisons below do not already show each
        const others = [
          // with 和暦, as the card's own birth date (review 12)
          ...c.otherBirthDates.map((d) => `${r.fields.birthDate} ${identityValueText("birthDate", d, { t, locale })}`),
          ...c.otherSexes.map((x) => `${r.fields.sex} ${t.patient.sex[x] ?? x}`),
          ...(byBranch ? [] : c.otherBranches.map((x) => `${q.branch} ${x}`)),
        ];
        return (
          <section key={c.id} aria-labelledby={`cand-${c.id}`} className="rounded-lg border border-slate-300 bg-white p-4" data-candidate={c.id}>
            <h2 id={`cand-${c.id}`} className="text-lg font-semibold">
              {c.facilityName} <span className="font-mono text-base">({c.facilityCode})</span> · {r.localId} <span className="font-mono">{c.localPatientId}</span>
            </h2>
            <p className="text-sm text-slate-700">
              {r.held(c.heldFiles, isoDateTime(c.createdAt))}
              {/* compared 枝番 by 枝番, each comparison names its own file and 枝番 (review 9, L1) */}
              {!byBranch && (
                <>
                  {" · "}
                  {r.identityFrom}: <span className="font-mono break-all">{c.identityFrom}</span>
                </>
              )}
            </p>
            {others.length > 0 && (
              <p className="mt-1 text-sm font-semibold text-amber-900" data-testid="other-identity">
                {r.otherIdentity(t.list(others))}
              </p>
            )}
            {c.alsoWaiting > 0 && <p className="mt-1 text-sm text-amber-900">{q.alsoWaiting(c.alsoWaiting)}</p>}
            <IdentityHeldReason c={c} t={t} />
            {c.unlinkedFrom && <p className="mt-1 text-sm text-amber-900">{r.unlinked(c.unlinkedFrom, c.unlinkReason ?? t.dash)}</p>}
            {c.compared ? (
              <>
                {c.compared.id === c.suggestedPatientId && <p className="mt-2 text-sm">{r.suggested}</p>}
                {c.comparisons.length > 1 && (
                  <p className="mt-2 text-sm font-semibold text-amber-900" data-testid="by-branch">
                    {b.intro}
                  </p>
                )}
                {c.comparisons.map((cmp) => (
                  <IdentityComparison key={cmp.branch ?? ""} c={c} cmp={cmp} elsewhere={!!elsewhere} t={t} locale={locale} />
                ))}
              </>
            ) : (
              <>
                <IdentitySent c={c} t={t} locale={locale} />
                <p className="mt-2 text-sm">{c.namedMissing ? r.namedMissing : r.noCandidate}</p>
              </>
            )}
            <form method="get" className="mt-3 flex flex-wrap items-end gap-2">
              <input type="hidden" name="candidate" value={c.id} />
              <label className="text-sm">
                <span className="block font-semibold">{r.compareLabel}</span>
                <input name="patient" defaultValue={named.candidateId === c.id ? (named.patientId ?? "") : ""} className="rounded border border-slate-400 px-2 py-1 font-mono" autoComplete="off" />
              </label>
              <button type="submit" className="rounded border border-slate-500 px-3 py-1 text-sm font-semibold">
                {r.compare}
              </button>
            </form>
            {elsewhere && <p className="mt-3 text-sm font-semibold text-red-900">{v.linkedElsewhere(elsewhere)}</p>}
            <form action={identityDecisionAction} className="mt-3">
              <input type="hidden" name="candidateId" value={c.id} />
              <button type="submit" name="decision" value="reject" className="rounded border border-red-700 px-3 py-1 text-sm font-semibold text-red-800">
                {r.reject}
              </button>
            </form>
          </section>
        );
      })}
      <section aria-labelledby="unlink-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="unlink-title" className="text-lg font-semibold">
          {u.title}
        </h2>
        <p className="text-sm text-slate-700">{u.intro}</p>
        <form action={identityUnlinkAction} className="mt-3 grid gap-3 sm:grid-cols-2">
          <label className="text-sm">
            <span className="block font-semibold">{u.facilityCode}</span>
            <input name="facilityCode" required inputMode="numeric" autoComplete="off" className="w-full rounded border border-slate-400 px-2 py-1 font-mono" />
          </label>
          <label className="text-sm">
            <span className="block font-semibold">{u.localPatientId}</span>
            <input name="localPatientId" required autoComplete="off" className="w-full rounded border border-slate-400 px-2 py-1 font-mono" />
          </label>
          <label className="text-sm sm:col-span-2">
            <span className="block font-semibold">{u.reason}</span>
            <textarea name="reason" required minLength={5} maxLength={500} rows={2} className="w-full rounded border border-slate-400 px-2 py-1" />
          </label>
          <label className="flex items-start gap-2 text-sm sm:col-span-2">
            <input type="checkbox" name="confirm" value="yes" required className="mt-1" />
            <span>{u.confirm}</span>
          </label>
          <div className="sm:col-span-2">
            <button type="submit" className="rounded border border-red-700 px-3 py-1 text-sm font-semibold text-red-800">
              {u.submit}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
