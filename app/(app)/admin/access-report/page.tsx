import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { AccessReportLookup } from "@/components/AccessReportLookup";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.report.adminTitle);

/** Administrators: open any patient's access report (with staff names) for a disclosure request. */
export default async function AdminAccessReportPage() {
  await requireActor();
  const { locale, t } = await getMessages();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-2xl font-bold">{t.report.adminTitle}</h1>
      <p className="text-slate-800">{t.report.adminIntro}</p>
      <div className="rounded-lg border border-slate-300 bg-white p-4">
        <AccessReportLookup locale={locale} />
      </div>
    </div>
  );
}
