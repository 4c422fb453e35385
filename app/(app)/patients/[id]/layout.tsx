import type { ReactNode } from "react";
import { IDLE_SECONDS } from "@/lib/auth/options";
import { getMessages } from "@/lib/i18n/server";
import { RecordScreenGuard } from "@/components/RecordScreenGuard";

/**
 * Every page of one patient — the record's tabs, a document, the consent and access report — leaves
 * the screen when the session's idle limit passes in the browser or a fetch is refused, so an
 * unattended screen does not keep showing the record after the server has forgotten the login.
 */
export default async function PatientLayout({ children }: { children: ReactNode }) {
  const { locale } = await getMessages();
  return (
    <RecordScreenGuard idleSeconds={IDLE_SECONDS} locale={locale}>
      {children}
    </RecordScreenGuard>
  );
}
