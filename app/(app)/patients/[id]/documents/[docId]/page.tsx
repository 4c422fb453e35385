import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getDocument, facilityDirectory } from "@/lib/record";
import { now } from "@/lib/clock";
import { dateWithWareki } from "@/lib/format/dates";
import { PatientFrame } from "@/components/PatientFrame";
import { readOrExplain } from "../../read-or-explain";
import { UninformedMark } from "@/components/UninformedMark";
import { sectionsOf } from "@/lib/format/document-sections";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.doc.title);

/** The document reader: a referral letter or report as written, with who wrote it, where and when. */
export default async function DocumentPage({ params }: { params: Promise<{ id: string; docId: string }> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const { id, docId } = await params;
  const r = await readOrExplain(actor, t, () => getDocument(actor, id, docId));
  if (!r.ok) return r.screen;
  const { patient, banner, kinds, withheld, document: d } = r.value;
  const facilities = await facilityDirectory();
  return (
    <PatientFrame patient={patient} banner={banner} kinds={kinds} withheld={withheld} tab={null} locale={locale} today={now()}>
      <article aria-labelledby="doc-title" className="mx-auto max-w-3xl rounded-lg border border-slate-300 bg-white p-6 shadow-sm" data-testid="document">
        <p className="text-sm font-semibold text-amber-900">
          {t.patient.tag[d.kind] ?? d.kind} {d.uninformed && <UninformedMark t={t} />}
        </p>
        <h2 id="doc-title" className="mt-1 text-xl font-bold">
          {d.title}
        </h2>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="font-semibold text-slate-700">{t.doc.date}</dt>
          <dd>{dateWithWareki(d.occurredAt, locale)}</dd>
          <dt className="font-semibold text-slate-700">{t.doc.facility}</dt>
          <dd>{facilities[d.facilityId] ?? d.facilityId}</dd>
          <dt className="font-semibold text-slate-700">{t.doc.author}</dt>
          <dd>{d.authorName ?? t.dash}</dd>
          {d.recipient && (
            <>
              <dt className="font-semibold text-slate-700">{t.doc.recipient}</dt>
              <dd>{d.recipient}</dd>
            </>
          )}
        </dl>
        <div className="mt-4 space-y-3 border-t border-slate-200 pt-4 text-base leading-relaxed" data-testid="document-body">
          {sectionsOf(d.body).map((sec, i) => (
            <section key={i} aria-labelledby={sec.title ? `doc-sec-${i}` : undefined}>
              {sec.title && (
                <h3 id={`doc-sec-${i}`} className="font-bold text-slate-900">
                  【{sec.title}】
                </h3>
              )}
              <p className="whitespace-pre-wrap">{sec.text}</p>
            </section>
          ))}
        </div>
      </article>
      <p className="text-center">
        <Link href={`/patients/${encodeURIComponent(patient.id)}`} className="text-blue-800 underline">
          {t.doc.back}
        </Link>
      </p>
    </PatientFrame>
  );
}
