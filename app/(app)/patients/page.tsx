import Link from "next/link";
import { isClinical, requireActor, workStart } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { recentPatients, searchPatients, outcomeOf, type SearchResult, type PatientHit, type RecentPatient } from "@/lib/record";
import { SEARCH_NAME_MAX, splitSearch } from "@/lib/record/search";
import { dateWithWareki, isoDateTime } from "@/lib/format/dates";
import type { Locale, Messages } from "@/lib/i18n/messages";

/** One patient in a list: name, kana, sex, birth date and what the consent lets this facility open. */
function PatientLine({ p, t, locale, opened }: { p: PatientHit; t: Messages; locale: Locale; opened?: string }) {
  return (
    <li>
      <Link href={`/patients/${p.id}`} className="flex flex-wrap items-baseline gap-x-4 px-4 py-3 hover:bg-blue-50">
        <span className="text-lg font-semibold text-blue-800 underline-offset-4 hover:underline">
          {p.familyName} {p.givenName}
        </span>
        <span className="text-slate-700">
          {p.familyNameKana} {p.givenNameKana}
        </span>
        <span className="text-slate-700">{t.patient.sex[p.sex]}</span>
        <span className="text-slate-700">{dateWithWareki(p.birthDate, locale)}</span>
        {opened && <span className="text-sm text-slate-700">{t.search.openedAt(isoDateTime(opened))}</span>}
        <span className="ml-auto rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-800">{p.scope === "FULL" ? t.search.consented : t.search.emergencyOnly}</span>
      </Link>
    </li>
  );
}
import { AccessDenied } from "@/components/AccessDenied";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.search.title);

export default async function PatientSearchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const sp = await searchParams;
  const q = typeof sp.q === "string" ? sp.q : "";
  const birthDate = typeof sp.birthDate === "string" ? sp.birthDate : "";
  // Clerks and administrators do not search clinical records: the desk finds a patient by their card.
  if (!isClinical(actor)) {
    return (
      <div className="space-y-4">
        <h1 className="text-2xl font-bold">{t.search.title}</h1>
        <p className="rounded border border-slate-300 bg-white px-4 py-3">
          {t.search.clinicalOnly}{" "}
          {actor.profession !== "ADMIN" && (
            <Link href="/consents/new" className="font-semibold text-blue-800 underline">
              {t.consent.navNew}
            </Link>
          )}
        </p>
      </div>
    );
  }
  // before a search, the patients this user opened lately (still open to this facility); refused as
  // a search is (a clinician whose licence is not yet verified), with the same page
  let recent: RecentPatient[] = [];
  if (!q && !birthDate) {
    try {
      recent = await recentPatients(actor);
    } catch (e) {
      const o = outcomeOf(e);
      if (o?.kind === "denied") return <AccessDenied reason={o.reason} t={t} canBreakGlass={false} patient={false} back={workStart(actor)} here="/patients" />;
      throw e;
    }
  }
  let result: SearchResult | null = null;
  let invalid: string | null = null;
  // the numbers from the card the search looked for, so that "nobody" says what was searched
  const { numbers } = splitSearch(q);
  if (q || birthDate) {
    try {
      result = await searchPatients(actor, { q, birthDate });
    } catch (e) {
      const o = outcomeOf(e);
      if (o?.kind === "denied") return <AccessDenied reason={o.reason} t={t} canBreakGlass={false} patient={false} back={workStart(actor)} here="/patients" />;
      if (o?.kind !== "invalid") throw e;
      invalid = Object.keys(o.fields)[0] ?? "q";
    }
  }
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t.search.title}</h1>
      <form role="search" className="flex flex-wrap items-end gap-4 rounded-lg border border-slate-300 bg-white p-4">
        <div>
          <label htmlFor="q" className="block text-sm font-medium">
            {t.search.name}
          </label>
          <input id="q" name="q" maxLength={SEARCH_NAME_MAX} defaultValue={q} placeholder={t.search.namePlaceholder} className="mt-1 w-72 rounded border border-slate-400 px-3 py-2" />
        </div>
        <div>
          <label htmlFor="birthDate" className="block text-sm font-medium">
            {t.search.birthDate}
          </label>
          <input id="birthDate" name="birthDate" type="date" defaultValue={birthDate} className="mt-1 rounded border border-slate-400 px-3 py-2" />
        </div>
        <button type="submit" className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800">
          {t.search.submit}
        </button>
      </form>
      {invalid && (
        <p role="alert" className="rounded border border-red-300 bg-red-50 px-3 py-2 text-red-800">
          {t.search.invalidField[invalid] ?? t.search.invalid}
        </p>
      )}
      {!result && !invalid && <p className="text-slate-700">{t.search.hint}</p>}
      {!result && !invalid && (
        <section aria-labelledby="recent-heading" className="space-y-2" data-testid="recent-patients">
          <h2 id="recent-heading" className="text-base font-semibold">
            {t.search.recentTitle}
          </h2>
          {recent.length === 0 ? (
            <p className="text-slate-700">{t.search.recentNone}</p>
          ) : (
            <ul className="divide-y divide-slate-200 rounded-lg border border-slate-300 bg-white">
              {recent.map((p) => (
                <PatientLine key={p.id} p={p} t={t} locale={locale} opened={p.lastOpenedAt} />
              ))}
            </ul>
          )}
        </section>
      )}
      {result && (
        <section aria-labelledby="results-heading" className="space-y-3">
          <h2 id="results-heading" className="text-sm font-semibold text-slate-700">
            {t.search.results(result.hits.length)}
          </h2>
          {result.visibleCount > result.hits.length && (
            <p role="status" className="rounded border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
              {t.search.truncated(result.hits.length, result.visibleCount)}
            </p>
          )}
          {result.hits.length === 0 && (
            <div role="status" className="space-y-1 rounded border border-slate-300 bg-white px-4 py-3">
              <p className="font-semibold">{t.search.none}</p>
              {numbers.length > 0 && <p className="text-slate-800">{t.searchByCard.searched(t.list(numbers))}</p>}
              <p className="text-slate-800">{t.search.noneNext}</p>
            </div>
          )}
          {result.hits.length > 0 && (
            <ul className="divide-y divide-slate-200 rounded-lg border border-slate-300 bg-white">
              {result.hits.map((p) => (
                <PatientLine key={p.id} p={p} t={t} locale={locale} />
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}
