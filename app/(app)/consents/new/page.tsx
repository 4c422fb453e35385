import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { ConsentForm } from "@/components/ConsentForm";

/** First consent of a patient at this facility: identify by the card, then record. */
export default async function NewConsentPage() {
  await requireActor();
  const { locale, t } = await getMessages();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">{t.consent.newTitle}</h1>
      <div className="rounded-lg border border-slate-300 bg-white p-4">
        <ConsentForm locale={locale} />
      </div>
    </div>
  );
}
