import type { ReactNode } from "react";
import { canBreakGlass, requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { mayManageAccounts } from "@/lib/auth/user-admin";
import { AppHeader } from "@/components/AppHeader";
import { RecheckRecordOnHistory } from "@/components/StaleRecord";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  return (
    <>
      <RecheckRecordOnHistory checking={t.recordScreen.rechecking} />
      <AppHeader actor={actor} locale={locale} t={t} managesAccounts={mayManageAccounts(actor)} breaksGlass={canBreakGlass(actor)} />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </>
  );
}
