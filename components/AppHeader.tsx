import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";
import { CLINICAL_PROFESSIONS } from "@/lib/access/decide";
import type { Locale, Messages } from "@/lib/i18n/messages";
import { LanguageSwitch } from "./LanguageSwitch";
import { LogoutButton } from "./LogoutButton";

/**
 * `managesAccounts`: a facility administrator (施設管理者) gets 利用者管理 beside their own work.
 * `breaksGlass`: the user may start emergency access (lib/access decideBreakGlassRight, through lib/auth
 * canBreakGlass): only they are shown its link, never a pharmacist or the desk, who would only be refused.
 */
export function AppHeader({ actor, locale, t, managesAccounts, breaksGlass }: { actor: Actor; locale: Locale; t: Messages; managesAccounts: boolean; breaksGlass: boolean }) {
  return (
    <header className="no-print border-b border-slate-300 bg-white">
      {/* Labels never break inside a word: on a narrow screen the rows wrap between items instead (the
          navigation beside the name, the account and its buttons below), in reading and tab order. */}
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
        <Link href="/" className="whitespace-nowrap text-xl font-bold text-blue-800">
          {t.appName}
        </Link>
        <nav aria-label="main" className="flex flex-1 flex-wrap items-center gap-x-4 gap-y-1">
          {/* patient search is clinical: the desk and administrators find a patient by their card */}
          {CLINICAL_PROFESSIONS.includes(actor.profession) && (
            <Link href="/patients" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
              {t.nav.patients}
            </Link>
          )}
          {actor.profession !== "ADMIN" ? (
            <>
              <Link href="/consents/new" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.consent.navNew}
              </Link>
              {managesAccounts && (
                <Link href="/admin/users" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                  {t.admin.usersNav}
                </Link>
              )}
            </>
          ) : (
            <>
              <Link href="/admin/dashboard" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.dashboard.nav}
              </Link>
              <Link href="/admin/users" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.admin.usersNav}
              </Link>
              <Link href="/admin/facilities" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.facilities.nav}
              </Link>
              <Link href="/admin/identity" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.identityReview.nav}
              </Link>
              <Link href="/admin/access-report" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.report.adminNav}
              </Link>
              <Link href="/admin/break-glass" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.emergency.reviewNav}
              </Link>
              <Link href="/admin/audit" className="whitespace-nowrap text-sm font-medium text-slate-800 underline-offset-4 hover:underline">
                {t.auditLog.nav}
              </Link>
            </>
          )}
          {breaksGlass && (
            <Link href="/emergency" className="whitespace-nowrap rounded bg-red-700 px-2 text-sm font-bold text-white hover:bg-red-800">
              {t.emergency.nav}
            </Link>
          )}
        </nav>
        <div className="ml-auto flex flex-wrap items-center justify-end gap-x-4 gap-y-2">
          {/* wraps, if it must, between the name and the facility */}
          <Link href="/account" className="text-sm text-slate-800 underline-offset-4 hover:underline" title={t.account.nav}>
            <span className="whitespace-nowrap">{actor.name}</span>
            <span className="whitespace-nowrap">（{actor.facilityName}）</span>
          </Link>
          <div className="flex items-center gap-2">
            <LanguageSwitch locale={locale} t={t} />
            <LogoutButton label={t.nav.logout} />
          </div>
        </div>
      </div>
    </header>
  );
}
