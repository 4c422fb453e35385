import Link from "next/link";
import { isClinical, requireActor } from "@/lib/auth/actor";
import { apiTokenRefusal, listApiTokens } from "@/lib/auth/api-token";
import { revokeApiTokenAction } from "@/app/actions/api-tokens";
import { ApiTokenForm } from "@/components/ApiTokenForm";
import { apiTokenRefusalText } from "@/components/api-token-messages";
import { getMessages } from "@/lib/i18n/server";
import { openSessions } from "@/lib/auth/account";
import { isoDateTime } from "@/lib/format/dates";
import { logoutEverywhereAction } from "@/app/actions/account";
import { ChangePasswordForm } from "@/components/AccountForms";
import { Notice } from "@/components/Notice";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.account.title);

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const a = t.account;
  const l = t.logoutEverywhere;
  const [sessions, sp, tokens] = await Promise.all([openSessions(actor), searchParams, isClinical(actor) ? listApiTokens(actor) : null]);
  const k = t.apiTokens;
  // the form only when lib/access would issue one: an unverified licence is told so, not offered a button that fails
  const tokenRefusal = apiTokenRefusal(actor);
  return (
    <>
      <h1 className="text-2xl font-bold">{a.title}</h1>
      {sp.done === "password" && (
        <Notice tone="done">{a.changed}</Notice>
      )}
      <section aria-labelledby="sessions-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="sessions-title" className="text-lg font-semibold">
          {a.sessionsTitle}
        </h2>
        <table className="mt-2 w-full text-sm" data-testid="sessions">
          <thead className="text-left text-slate-700">
            <tr>
              <th className="py-1 pr-2 font-semibold">{a.createdAt}</th>
              <th className="py-1 pr-2 font-semibold">{a.lastSeen}</th>
              <th className="py-1 font-semibold">{a.ip}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id} className="border-t border-slate-200">
                <td className="py-1 pr-2 font-mono">{isoDateTime(s.createdAt)}</td>
                <td className="py-1 pr-2 font-mono">{isoDateTime(s.lastSeenAt)}</td>
                <td className="py-1">
                  {s.ip ?? t.dash} {s.current && <strong>{t.paren(a.thisSession).trim()}</strong>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {sp.confirm === "logout-everywhere" ? (
          // it ends this session too, and loses what other tabs have not sent: said, and asked once more,
          // before the action runs; focus lands on the safe answer, and the explanation is announced
          <form action={logoutEverywhereAction} className="mt-3 space-y-2 rounded border border-red-600 bg-red-50 p-3" aria-labelledby="logout-all-title" aria-describedby="logout-all-effect" data-testid="logout-all-confirm">
            <h3 id="logout-all-title" className="font-semibold text-red-900">
              {l.title}
            </h3>
            <p id="logout-all-effect" role="alert" className="text-sm text-red-950">
              {l.effect(sessions.length)}
            </p>
            <div className="flex flex-wrap items-center gap-4">
              {/* each answer carries the explanation: a screen reader reads it with whichever has the focus, as the alert of a page just loaded may not be (review 9, L3) */}
              <button type="submit" aria-describedby="logout-all-effect" className="rounded bg-red-700 px-3 py-1.5 font-semibold text-white hover:bg-red-800">
                {l.confirm}
              </button>
              <Link href="/account?cancelled=logout-everywhere" autoFocus aria-describedby="logout-all-effect" className="text-sm text-blue-800 underline">
                {l.cancel}
              </Link>
            </div>
          </form>
        ) : (
          // the first click only asks (a GET to this page): nothing ends until the confirmation is sent
          <form action="/account" method="get" className="mt-3">
            <input type="hidden" name="confirm" value="logout-everywhere" />
            {/* back from キャンセル, the focus returns to the button that asked */}
            <button type="submit" autoFocus={sp.cancelled === "logout-everywhere"} className="rounded border-2 border-red-700 px-3 py-1.5 font-semibold text-red-800 hover:bg-red-50">
              {a.logoutAll}
            </button>
          </form>
        )}
      </section>
      {tokens && (
        <section aria-labelledby="tokens-title" className="rounded-lg border border-slate-300 bg-white p-4">
          <h2 id="tokens-title" className="text-lg font-semibold">
            {k.title}
          </h2>
          <p className="mt-1 text-sm text-slate-700">{k.intro}</p>
          {tokenRefusal ? (
            <p className="mt-3 rounded border border-amber-600 bg-amber-50 p-2 text-sm" data-testid="api-token-unavailable">
              {t.adminChecks.tokenUnavailable} {apiTokenRefusalText(t, tokenRefusal)}
            </p>
          ) : (
            <ApiTokenForm locale={locale} />
          )}
          {tokens.length === 0 ? (
            <p className="mt-3 text-sm">{k.none}</p>
          ) : (
            <ul className="mt-3 space-y-2 text-sm" data-testid="api-tokens">
              {tokens.map((tk) => (
                <li key={tk.id} className="flex flex-wrap items-center gap-3 border-t border-slate-200 pt-2">
                  <span className="font-mono">{tk.id}</span>
                  {tk.label && <span>{tk.label}</span>}
                  <span>
                    {k.expires}: <span className="font-mono">{isoDateTime(tk.expiresAt)}</span>
                  </span>
                  <span>
                    {k.lastUsed}: <span className="font-mono">{tk.lastUsedAt ? isoDateTime(tk.lastUsedAt) : t.dash}</span>
                  </span>
                  <form action={revokeApiTokenAction}>
                    <input type="hidden" name="id" value={tk.id} />
                    <button type="submit" className="rounded border-2 border-red-700 px-2 py-1 font-semibold text-red-800 hover:bg-red-50">
                      {k.revoke}
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <section aria-labelledby="pw-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="pw-title" className="mb-2 text-lg font-semibold">
          {a.passwordTitle}
        </h2>
        <ChangePasswordForm locale={locale} needsCode={actor.mfa} />
      </section>
    </>
  );
}
