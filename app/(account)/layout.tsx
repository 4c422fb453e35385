import Link from "next/link";
import type { ReactNode } from "react";
import { requireSignedIn } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { LanguageSwitch } from "@/components/LanguageSwitch";
import { LogoutButton } from "@/components/LogoutButton";

/**
 * Account pages: reachable while a login is still unfinished (password change, second factor), so no
 * navigation into patient data here — requireActor elsewhere sends the user back until it is done.
 */
export default async function AccountLayout({ children }: { children: ReactNode }) {
  const actor = await requireSignedIn();
  const { locale, t } = await getMessages();
  return (
    <>
      <header className="border-b border-slate-300 bg-white">
        <div className="mx-auto flex max-w-3xl items-center gap-4 px-4 py-2">
          <Link href="/patients" className="text-xl font-bold text-blue-800">
            {t.appName}
          </Link>
          <p className="flex-1 text-sm text-slate-700">
            {actor.name}
            {t.paren(actor.facilityName)}
          </p>
          <LanguageSwitch locale={locale} t={t} />
          <LogoutButton label={t.nav.logout} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-3xl space-y-4 px-4 py-6">
        {children}
      </main>
    </>
  );
}
