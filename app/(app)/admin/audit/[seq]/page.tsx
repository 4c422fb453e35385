import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { auditEventScreen } from "./screen";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.auditLog.title);

/** Network administrators: one audit event, every field. */
export default async function AuditEventPage({ params }: { params: Promise<{ seq: string }> }) {
  const actor = await requireActor();
  const { t } = await getMessages();
  return auditEventScreen(actor, t, (await params).seq);
}
