import { requireActor, workStart } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { AccessDeniedError, disasterModeFor, requireBreakGlassRight } from "@/lib/record";
import { AccessDenied } from "@/components/AccessDenied";
import { EmergencyFlow } from "@/components/EmergencyFlow";
import { Notice } from "@/components/Notice";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.emergency.title);

/** The break-glass entry: who may use it is checked (and a refusal audited) before anything is shown. */
export default async function EmergencyPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  try {
    await requireBreakGlassRight(actor, null, "emergency-page");
  } catch (e) {
    if (e instanceof AccessDeniedError) return <AccessDenied reason={e.reason} t={t} canBreakGlass={false} patient={false} back={workStart(actor)} />;
    throw e;
  }
  const sp = await searchParams;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold text-red-800">{t.emergency.title}</h1>
      {sp.done === "ended" && (
        <Notice tone="done">{t.emergency.ended}</Notice>
      )}
      <p>{t.emergency.intro}</p>
      <EmergencyFlow locale={locale} disaster={await disasterModeFor(actor)} />
    </div>
  );
}
