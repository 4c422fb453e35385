import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { auditSearchScreen } from "./screen";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.auditLog.title);

/** Network administrators: search the audit trail, open an event, export, verify. */
export default async function AuditSearchPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  return auditSearchScreen(actor, locale, t, await searchParams);
}
