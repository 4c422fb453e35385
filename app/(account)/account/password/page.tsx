import { requireSignedIn } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { ChangePasswordForm } from "@/components/AccountForms";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.account.passwordTitle);

export default async function PasswordPage() {
  const actor = await requireSignedIn();
  const { locale, t } = await getMessages();
  return (
    <section aria-labelledby="pw-title" className="rounded-lg border border-slate-300 bg-white p-4">
      <h1 id="pw-title" className="mb-2 text-xl font-bold">
        {t.account.passwordTitle}
      </h1>
      {actor.mustChangePassword && <p className="mb-3 rounded border border-amber-500 bg-amber-50 px-3 py-2 text-amber-950">{t.account.passwordForced}</p>}
      <ChangePasswordForm locale={locale} needsCode={actor.mfa} />
    </section>
  );
}
