import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";
import { CLINICAL_PROFESSIONS } from "@/lib/access/decide";
import type { Locale, Messages } from "@/lib/i18n/messages";
import { LanguageSwitch } from "./LanguageSwitch";
import { LogoutButton } from "./LogoutButton";

export function AppHeader({ actor, locale, t }: { actor: Actor; locale: Locale; t: Messages }) {
  return (
    <header className="no-print border-b border-slate-300 bg-white">
      <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-2">
        <Link href="/patients" className="text-xl font-bold text-blue-800">
          {t.appName}
        </Link>
        <nav aria-label="main" className="flex flex-1 gap-4">
          <Link href="/patients" className="text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
            {t.nav.patients}
          </Link>
          {actor.profession !== "ADMIN" ? (
            <Link href="/consents/new" className="text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
              {t.consent.navNew}
            </Link>
          ) : (
            <>
              <Link href="/admin/users" className="text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.admin.usersNav}
              </Link>
              <Link href="/admin/access-report" className="text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.report.adminNav}
              </Link>
              <Link href="/admin/break-glass" className="text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.emergency.reviewNav}
              </Link>
            </>
          )}
          {CLINICAL_PROFESSIONS.includes(actor.profession) && (
            <Link href="/emergency" className="rounded bg-red-700 px-2 text-sm font-bold text-white hover:bg-red-800">
              {t.emergency.nav}
            </Link>
          )}
        </nav>
        <Link href="/account" className="text-sm text-slate-800 underline-offset-4 hover:underline" title={t.account.nav}>
          {actor.name}（{actor.facilityName}）
        </Link>
        <LanguageSwitch locale={locale} t={t} />
        <LogoutButton label={t.nav.logout} />
      </div>
    </header>
  );
}
