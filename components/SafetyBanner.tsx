import type { SafetyBanner as Banner } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";

/**
 * Always at the top of a patient's page, never paged or filtered away. An empty section says "none
 * recorded"; a section the patient withholds says so instead, because "none" would be a lie.
 */
export function SafetyBanner({ banner, canSeeAllergies, t }: { banner: Banner; canSeeAllergies: boolean; t: Messages }) {
  const s = t.summary;
  const none = <span className="text-slate-700">{s.noneRecorded}</span>;
  const withheld = <span className="font-semibold text-slate-900">{s.withheldSection}</span>;
  return (
    <section aria-labelledby="banner-title" className="rounded-lg border-2 border-red-600 bg-red-50 p-3" data-testid="safety-banner">
      <h2 id="banner-title" className="sr-only">
        {s.bannerTitle}
      </h2>
      <dl className="grid gap-x-4 gap-y-1 sm:grid-cols-[9rem_1fr]">
        <dt className="font-bold text-red-900">{s.allergies}</dt>
        <dd>
          {!canSeeAllergies ? (
            <span className="text-slate-700">{s.notInScope}</span>
          ) : banner.allergies.length === 0 ? (
            none
          ) : (
            <ul className="flex flex-wrap gap-2">
              {banner.allergies.map((a) => (
                <li key={a.id} className={`rounded px-2 py-0.5 text-sm font-semibold ${a.severity === "SEVERE" ? "bg-red-700 text-white" : "bg-white text-red-900 ring-1 ring-red-400"}`}>
                  {a.display}
                  {a.reaction ? t.paren(a.reaction) : ""} · {t.summary.severity[a.severity] ?? a.severity}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="font-bold text-red-900">{s.contraindications}</dt>
        <dd>
          {!canSeeAllergies ? (
            <span className="text-slate-700">{s.notInScope}</span>
          ) : banner.contraindications.length === 0 ? (
            none
          ) : (
            <ul className="flex flex-wrap gap-2">
              {banner.contraindications.map((c) => (
                <li key={c.id} className="rounded bg-white px-2 py-0.5 text-sm font-semibold text-red-900 ring-1 ring-red-400">
                  {c.display}
                  {c.reaction ? t.paren(c.reaction) : ""}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt className="font-bold text-red-900">{s.infections}</dt>
        <dd>
          {/* what is visible is always shown; a withholding adds its note (never which category) */}
          {banner.infections.length === 0 ? (
            banner.withheldSections.includes("infections") ? withheld : none
          ) : (
            <ul className="flex flex-wrap gap-2">
              {banner.infections.map((i) => (
                <li key={i.id} className="rounded bg-white px-2 py-0.5 text-sm font-semibold text-red-900 ring-1 ring-red-400">
                  {i.display}
                </li>
              ))}
              {banner.withheldSections.includes("infections") && <li className="px-2 py-0.5 text-sm">{withheld}</li>}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
