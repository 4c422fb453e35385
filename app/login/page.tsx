import { redirect } from "next/navigation";
import { currentActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { LanguageSwitch } from "@/components/LanguageSwitch";
import { LoginForm } from "./LoginForm";
import { ReloadIfReachedInsideApp } from "@/components/StaleRecord";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.login.title);

export default async function LoginPage() {
  if (await currentActor()) redirect("/");
  const { locale, t } = await getMessages();
  return (
    <main id="main" className="mx-auto mt-16 max-w-sm rounded-lg border border-slate-300 bg-white p-6 shadow-sm">
      {/* the session ended while a record was open, and a click brought the login page: the record's pages go */}
      <ReloadIfReachedInsideApp />
      <div className="mb-6 flex items-start justify-between">
        <div>
          <p className="text-2xl font-bold text-blue-800">{t.appName}</p>
          <p className="text-sm text-slate-600">{t.appTagline}</p>
        </div>
        <LanguageSwitch locale={locale} t={t} />
      </div>
      <h1 className="mb-4 text-lg font-semibold">{t.login.title}</h1>
      <LoginForm labels={{ loginId: t.login.loginId, password: t.login.password, code: t.login.code, codeHint: t.login.codeHint, submit: t.login.submit, failed: t.login.failed, initialPasswordExpired: t.login.initialPasswordExpired, userInactive: t.login.userInactive, facilitySuspended: t.login.facilitySuspended, unavailable: t.login.unavailable }} />
      <p className="mt-4 text-xs text-slate-600">{t.login.demoHint}</p>
    </main>
  );
}
