import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { openSessions } from "@/lib/auth/account";
import { isoDateTime } from "@/lib/format/dates";
import { logoutEverywhereAction } from "@/app/actions/account";
import { ChangePasswordForm } from "@/components/AccountForms";
import { Notice } from "@/components/Notice";

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const a = t.account;
  const [sessions, sp] = await Promise.all([openSessions(actor), searchParams]);
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
                  {s.ip ?? t.dash} {s.current && <strong>（{a.thisSession}）</strong>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <form action={logoutEverywhereAction} className="mt-3">
          <button type="submit" className="rounded border-2 border-red-700 px-3 py-1.5 font-semibold text-red-800 hover:bg-red-50">
            {a.logoutAll}
          </button>
        </form>
      </section>
      <section aria-labelledby="pw-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="pw-title" className="mb-2 text-lg font-semibold">
          {a.passwordTitle}
        </h2>
        <ChangePasswordForm locale={locale} needsCode={actor.mfa} />
      </section>
    </>
  );
}
