import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getDashboard } from "@/lib/network";
import { DashboardView } from "@/components/DashboardView";
import { orRefusal } from "../facilities/or-refusal";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.dashboard.title);

/** How the network is used, in anonymous counts: the network administrator only, and the read is audited (lib/network). */
export default async function DashboardPage() {
  const actor = await requireActor();
  const { t } = await getMessages();
  const read = await orRefusal(() => getDashboard(actor));
  if ("refused" in read) return <p role="alert">{read.refused === "NOT_NETWORK_ADMINISTRATOR" ? t.dashboard.refused : (t.facilities.refusals[read.refused] ?? t.dashboard.refused)}</p>;
  return <DashboardView d={read.value} t={t} />;
}
