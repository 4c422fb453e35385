import QRCode from "qrcode";
import { redirect } from "next/navigation";
import { requireSignedIn } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { secondFactorEnrolment } from "@/lib/auth/account";
import { ConfirmSecondFactorForm } from "@/components/AccountForms";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.account.mfaTitle);

export default async function SecondFactorPage() {
  const actor = await requireSignedIn();
  if (actor.mustChangePassword) redirect("/account/password");
  const { locale, t } = await getMessages();
  const a = t.account;
  const e = await secondFactorEnrolment(actor);
  const qr = e.uri ? await QRCode.toDataURL(e.uri, { margin: 1, width: 200 }) : null;
  return (
    <section aria-labelledby="mfa-title" className="rounded-lg border border-slate-300 bg-white p-4">
      <h1 id="mfa-title" className="mb-2 text-xl font-bold">
        {a.mfaTitle}
      </h1>
      {e.enrolled ? (
        <p>{a.alreadyEnrolled}</p>
      ) : (
        <div className="space-y-3">
          <p>{a.mfaIntro}</p>
          {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL generated here, nothing to optimise */}
          <img src={qr!} alt={a.qrAlt} width={200} height={200} />
          <p className="text-sm">
            {a.secretLabel}: <code className="rounded bg-slate-100 px-1 font-mono text-base tracking-wider" data-testid="totp-secret">{e.secret}</code>
          </p>
          <ConfirmSecondFactorForm locale={locale} />
        </div>
      )}
    </section>
  );
}
