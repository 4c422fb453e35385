import { randomUUID } from "node:crypto";
import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getConsentOverview } from "@/lib/record";
import { dateWithWareki, isoDate, isoDateTime } from "@/lib/format/dates";
import { ConsentForm } from "@/components/ConsentForm";
import { WithdrawConsentForm } from "@/components/WithdrawConsentForm";
import { readOrExplain } from "../read-or-explain";
import { DoneNotice } from "@/components/DoneNotice";
import { RecordOnScreen } from "@/components/StaleRecord";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.tabs.consent);

/** A patient's consent for this facility: what is in force, the history (never rewritten), change or withdraw. */
export default async function ConsentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const [{ id }, sp] = await Promise.all([params, searchParams]);
  const r = await readOrExplain(actor, t, () => getConsentOverview(actor, id));
  if (!r.ok) return r.screen;
  const { patient: p, history, inForce, facilityName, categoriesShown } = r.value;
  const c = t.consent;
  const done = sp.done === "recorded" ? c.recorded : sp.done === "withdrawn" ? c.withdrawn : sp.done === "nothing" ? c.nothingToWithdraw : null;
  const base = `/patients/${encodeURIComponent(p.id)}`;
  // Clinicians are told that something is withheld, never which category (lib/access/disclosure).
  const withheldText = (e: { withheld: string[]; withholdsSome: boolean }) =>
    categoriesShown ? t.list(e.withheld.map((w) => c.categories[w] ?? w)) : e.withholdsSome ? c.withheldSome : "";
  return (
    <div className="space-y-4">
      <RecordOnScreen record={`patient:${p.id}`} />
      <section aria-labelledby="patient-name" className="rounded-lg border border-slate-300 bg-white p-4">
        <h1 id="patient-name" className="text-2xl font-bold">
          {p.familyName} {p.givenName}
          <span className="ml-3 text-base font-normal text-slate-700">
            {p.familyNameKana} {p.givenNameKana}
          </span>
        </h1>
        <p className="mt-1 text-sm">
          {t.patient.sex[p.sex]} · {dateWithWareki(p.birthDate, locale)} · {c.title}: {facilityName}
        </p>
        <p className="mt-2 flex gap-4 text-sm">
          <Link href={`${base}/access-report`} className="text-blue-800 underline">
            {c.accessReport}
          </Link>
        </p>
      </section>
      {/* a new key on every render of the page: each arrival with ?done= is a new outcome to show, even the same one again */}
      {done && <DoneNotice key={randomUUID()}>{done}</DoneNotice>}

      <section aria-labelledby="inforce-title" className="rounded-lg border border-slate-300 bg-white p-4" data-testid="consent-in-force">
        <h2 id="inforce-title" className="text-lg font-semibold">
          {c.inForce}
        </h2>
        {inForce ? (
          <>
            <p className="mt-1">
              <strong>{c.scopes[inForce.scope]}</strong> · {c.methods[inForce.method] ?? inForce.method} · {c.identities[inForce.identityVerification] ?? inForce.identityVerification} ·{" "}
              {inForce.expiresAt ? `〜${isoDate(new Date(new Date(inForce.expiresAt).getTime() - 1))}` : c.noExpiry}
              {inForce.withholdsSome && ` · ${c.withheld}: ${withheldText(inForce)}`}
            </p>
            <WithdrawConsentForm locale={locale} patientId={p.id} />
          </>
        ) : (
          <p className="mt-1 text-slate-700">{c.none}</p>
        )}
      </section>

      <section aria-labelledby="history-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="history-title" className="text-lg font-semibold">
          {c.history}
        </h2>
        {history.length === 0 ? (
          <p className="mt-1 text-slate-700">{c.none}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="mt-2 w-full text-sm" data-testid="consent-history">
              <thead className="text-left text-slate-700">
                <tr>
                  <th className="py-1 pr-2 font-semibold">{c.capturedAt}</th>
                  <th className="py-1 pr-2 font-semibold">{c.scope}</th>
                  <th className="py-1 pr-2 font-semibold">{c.method}</th>
                  <th className="py-1 pr-2 font-semibold">{c.withheld}</th>
                  <th className="py-1 pr-2 font-semibold">{c.capturedBy}</th>
                  <th className="py-1 font-semibold">{c.withdrawnAt}</th>
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.id} className="border-t border-slate-200 align-top">
                    <td className="py-1 pr-2 font-mono">{isoDateTime(h.capturedAt)}</td>
                    <td className="py-1 pr-2">
                      {c.scopes[h.scope]} <span className="rounded bg-slate-100 px-1 text-xs font-semibold">{c.state[h.state]}</span>
                    </td>
                    <td className="py-1 pr-2">
                      {c.methods[h.method] ?? h.method} / {c.identities[h.identityVerification] ?? h.identityVerification}
                    </td>
                    <td className="py-1 pr-2">{withheldText(h) || t.dash}</td>
                    <td className="py-1 pr-2">{h.capturedBy}</td>
                    <td className="py-1">{h.withdrawnAt ? `${isoDateTime(h.withdrawnAt)}${t.paren(h.withdrawnBy ?? t.dash)}` : t.dash}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="change-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="change-title" className="mb-2 text-lg font-semibold">
          {inForce ? c.changeTitle : c.submit}
        </h2>
        <ConsentForm locale={locale} patientId={p.id} inForce={inForce} mayConfirmWidening={categoriesShown} />
      </section>
    </div>
  );
}
