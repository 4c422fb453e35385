import { getMessages } from "@/lib/i18n/server";
import { titled } from "@/lib/i18n/page-title";
import { RecordClosedNotice, type Ended } from "@/components/RecordScreenGuard";
import { LanguageSwitch } from "@/components/LanguageSwitch";

/** The tab's title says what happened, in the reader's language: a screen reader announces it first. */
export const generateMetadata = titled((t) => t.recordScreen.closedTitle);

/**
 * Where a patient's page goes when its record is taken off the screen (components/RecordScreenGuard):
 * the idle limit passed, the session ended, or reading was refused. It holds nothing of the record and
 * needs no login: the session may be the very thing that ended. Only the reason is in the address.
 */
export default async function RecordClosedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const q = await searchParams;
  const { locale, t } = await getMessages();
  const by = typeof q.by === "string" ? q.by : "idle";
  const status = Number(by);
  // a reason is shown only when it is one the messages name: the address is not a way to put words on the page
  const reason = typeof q.reason === "string" && q.reason in t.denied.reasons ? q.reason : null;
  const ended: Ended = status === 401 || status === 403 ? { by: "refused", status, reason } : { by: "idle" };
  return (
    <main id="main" className="mx-auto mt-16 max-w-xl space-y-3">
      <div className="flex items-start justify-between gap-2">
        <h1 className="text-xl font-bold text-slate-900">{t.recordScreen.closedTitle}</h1>
        <LanguageSwitch locale={locale} t={t} />
      </div>
      <RecordClosedNotice ended={ended} locale={locale} />
    </main>
  );
}
