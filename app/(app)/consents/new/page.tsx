import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { ConsentForm } from "@/components/ConsentForm";
import { OpenByCardForm } from "@/components/OpenByCardForm";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.consent.newTitle);

/**
 * The consent desk: record a consent (a first one or a change) for the patient whose card is in hand,
 * or open that patient's consent page to withdraw it or print their access report.
 */
export default async function NewConsentPage() {
  await requireActor();
  const { locale, t } = await getMessages();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">{t.consent.newTitle}</h1>
      <div className="rounded-lg border border-slate-300 bg-white p-4">
        <ConsentForm locale={locale} />
      </div>
      <section aria-labelledby="open-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="open-title" className="mb-2 text-lg font-semibold">
          {t.consent.openTitle}
        </h2>
        <OpenByCardForm locale={locale} />
      </section>
    </div>
  );
}
