import type { IntegratedSummary } from "@/lib/record";
import type { Locale, Messages } from "@/lib/i18n/messages";
import { isoDate } from "@/lib/format/dates";
import { phoneUse, relationship } from "@/lib/terminology/contact-codes";

type Contact = IntegratedSummary["contacts"][string][number];

const Phone = ({ n }: { n: string }) => (
  <a href={`tel:${n.replace(/[^\d+]/g, "")}`} className="whitespace-nowrap text-sky-800 underline hover:text-sky-950">
    {n}
  </a>
);

/** The number to call first: the patient's emergency number, else a contact person's (never the patient's own). */
function firstToCall(all: Contact[]): string | null {
  return all.find((c) => c.kind === "PHONE" && c.code === "EMR")?.phone ?? all.find((c) => c.kind === "NEXT_OF_KIN" && c.code !== "SEL" && c.phone)?.phone ?? null;
}

/**
 * How to reach the patient and who pays, facility by facility as each registered it (SS-MIX2 ADT-00),
 * closed by default: the emergency number is on the closed line, the rest a click away, so the first
 * screen stays the clinical summary. Numbers are links (a phone at the bedside dials them).
 */
export function RegisteredContacts({ contacts, facilities, lastReceived, t, locale }: { contacts: IntegratedSummary["contacts"]; facilities: Record<string, string>; lastReceived: Record<string, string>; t: Messages; locale: Locale }) {
  const byFacility = Object.entries(contacts);
  if (byFacility.length === 0) return null;
  const call = firstToCall(byFacility.flatMap(([, c]) => c));
  return (
    <details className="rounded-lg border border-slate-300 bg-white" data-testid="contacts">
      <summary className="cursor-pointer px-3 py-2 font-semibold">
        {t.contacts.title}
        {call && <span className="ml-2 font-normal">— {t.contacts.emergency(call)}</span>}
      </summary>
      <div className="space-y-3 border-t border-slate-300 p-3 text-sm">
        {byFacility.map(([facilityId, list]) => {
          const phones = list.filter((c) => c.kind === "PHONE" && c.phone);
          const listed = new Set(phones.map((p) => p.phone));
          const people = list.filter((c) => c.kind === "NEXT_OF_KIN");
          const plans = list.filter((c) => c.kind === "INSURANCE");
          const received = lastReceived[facilityId];
          return (
            <section key={facilityId} aria-label={facilities[facilityId] ?? facilityId}>
              <h3 className="font-semibold text-slate-800">{t.contacts.from(facilities[facilityId] ?? facilityId, received ? isoDate(received) : null)}</h3>
              <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
                {phones.length > 0 && (
                  <>
                    <dt className="font-semibold text-slate-700">{t.contacts.phones}</dt>
                    <dd className="flex flex-wrap gap-x-3">
                      {phones.map((p, i) => (
                        <span key={i}>
                          {phoneUse(p.code, p.text, locale)} <Phone n={p.phone!} />
                        </span>
                      ))}
                    </dd>
                  </>
                )}
                {people.map((c, i) => (
                  <div key={`p${i}`} className="contents">
                    <dt className="font-semibold text-slate-700">{t.contacts.person}</dt>
                    <dd>
                      {relationship(c.code, c.text, locale)}
                      {/* the patient's own NK1 repeats their name: only what it adds is shown */}
                      {c.code !== "SEL" && c.name && ` ${c.name}${c.nameKana ? t.paren(c.nameKana) : ""}`}
                      {c.phone && !(c.code === "SEL" && listed.has(c.phone)) && (
                        <>
                          {" "}
                          <Phone n={c.phone} />
                        </>
                      )}
                      {c.workPhone && !(c.code === "SEL" && listed.has(c.workPhone)) && (
                        <>
                          {" · "}
                          {t.contacts.work} <Phone n={c.workPhone} />
                        </>
                      )}
                      {c.address && <span className="block text-slate-700">{c.address}</span>}
                    </dd>
                  </div>
                ))}
                {plans.map((c, i) => (
                  <div key={`i${i}`} className="contents">
                    <dt className="font-semibold text-slate-700">{t.contacts.insurance}</dt>
                    <dd>{[c.text ?? c.code, c.insurerNumber && t.contacts.insurer(c.insurerNumber), c.insuredRelation && relationship(c.insuredRelation, null, locale), c.validFrom && t.contacts.validFrom(c.validFrom)].filter(Boolean).join(" · ")}</dd>
                  </div>
                ))}
              </dl>
            </section>
          );
        })}
      </div>
    </details>
  );
}
