import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { mayManageFacilities } from "@/lib/network";
import { isoDate } from "@/lib/format/dates";
import { now } from "@/lib/clock";
import { FacilityForm } from "@/components/FacilityForm";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.facilities.newFacility);

export default async function NewFacilityPage() {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  if (!mayManageFacilities(actor)) return <p role="alert">{t.facilities.refusals.NOT_NETWORK_ADMINISTRATOR}</p>;
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/admin/facilities" className="text-sm text-blue-800 underline">
        {t.facilities.back}
      </Link>
      <h1 className="text-2xl font-bold">{t.facilities.newFacility}</h1>
      <div className="rounded-lg border border-slate-300 bg-white p-4">
        <FacilityForm locale={locale} today={isoDate(now())} />
      </div>
    </div>
  );
}
