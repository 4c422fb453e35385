import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { listUsers, NotAdministratorError, VERIFICATION_METHODS } from "@/lib/auth/user-admin";
import { isoDate } from "@/lib/format/dates";
import { userOperationAction } from "@/app/actions/admin-users";
import { Notice } from "@/components/Notice";
import { ResetPasswordForm } from "@/components/ResetPasswordForm";

const button = "rounded border px-2 py-0.5 text-xs font-semibold";

/** Accounts: licence checks, lockouts, deactivation and sessions, one row per user. */
export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const a = t.admin;
  let users;
  try {
    users = await listUsers(actor);
  } catch (e) {
    if (e instanceof NotAdministratorError) return <p role="alert">{a.refused}</p>;
    throw e;
  }
  const sp = await searchParams;
  const done = typeof sp.done === "string" ? a.done[sp.done] : null;
  const error = typeof sp.error === "string" ? (a.errors[sp.error] ?? a.errors.INVALID) : null;
  return (
    <div className="space-y-4">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-bold">{a.usersTitle}</h1>
        <Link href="/admin/users/new" className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
          {a.newUser}
        </Link>
      </div>
      {done && (
        <Notice tone="done">{done}</Notice>
      )}
      {error && (
        <Notice tone="error">{error}</Notice>
      )}
      <div className="overflow-x-auto rounded-lg border border-slate-300 bg-white">
        <table className="w-full text-sm" data-testid="users">
          <thead className="text-left text-slate-700">
            <tr>
              <th className="p-2 font-semibold">{a.loginId}</th>
              <th className="p-2 font-semibold">{a.name}</th>
              <th className="p-2 font-semibold">{a.facility}</th>
              <th className="p-2 font-semibold">{a.verified}</th>
              <th className="p-2 font-semibold">{a.status}</th>
              <th className="p-2 font-semibold">{a.sessions}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-t border-slate-200 align-top" data-login={u.loginId}>
                <td className="p-2 font-mono">{u.loginId}</td>
                <td className="p-2">
                  {u.name}
                  <span className="block text-xs text-slate-700">
                    {a.professions[u.profession]} {u.licenseNumber ?? ""}
                  </span>
                </td>
                <td className="p-2">{u.facilityName}</td>
                <td className="p-2">
                  {u.credentialVerifiedAt ? (
                    <span>
                      {isoDate(u.credentialVerifiedAt)} · {u.credentialVerifiedBy}
                      <span className="block text-xs text-slate-700">{a.methods[u.credentialVerificationMethod ?? ""] ?? u.credentialVerificationMethod}</span>
                    </span>
                  ) : (
                    <form action={userOperationAction} className="flex flex-wrap items-center gap-1">
                      <strong className="text-red-800">{a.notVerified}</strong>
                      <input type="hidden" name="userId" value={u.id} />
                      <input type="hidden" name="op" value="verify" />
                      <label className="sr-only" htmlFor={`method-${u.id}`}>
                        {a.verifyWith}
                      </label>
                      <select id={`method-${u.id}`} name="method" className="rounded border border-slate-400 px-1 py-0.5 text-xs">
                        {VERIFICATION_METHODS.map((m) => (
                          <option key={m} value={m}>
                            {a.methods[m]}
                          </option>
                        ))}
                      </select>
                      <button type="submit" className={`${button} border-blue-700 text-blue-800`}>
                        {a.verify}
                      </button>
                    </form>
                  )}
                </td>
                <td className="p-2">
                  <form action={userOperationAction} className="flex flex-wrap items-center gap-1">
                    <input type="hidden" name="userId" value={u.id} />
                    <span>{u.active ? a.active : <strong className="text-red-800">{a.inactive}</strong>}</span>
                    {u.locked && <strong className="text-red-800">· {a.locked}</strong>}
                    {!u.secondFactor && <span className="text-xs text-slate-700">· {a.secondFactor} –</span>}
                    {u.locked && (
                      <button type="submit" name="op" value="unlock" className={`${button} border-blue-700 text-blue-800`}>
                        {a.unlock}
                      </button>
                    )}
                    {u.id !== actor.userId && (
                      <button type="submit" name="op" value={u.active ? "deactivate" : "reactivate"} className={`${button} ${u.active ? "border-red-700 text-red-800" : "border-blue-700 text-blue-800"}`} aria-label={`${u.active ? a.deactivate : a.reactivate}: ${u.loginId}`}>
                        {u.active ? a.deactivate : a.reactivate}
                      </button>
                    )}
                  </form>
                  {u.id !== actor.userId && <ResetPasswordForm locale={locale} userId={u.id} loginId={u.loginId} />}
                </td>
                <td className="p-2">
                  <form action={userOperationAction} className="flex items-center gap-1">
                    <input type="hidden" name="userId" value={u.id} />
                    <span>{u.openSessions}</span>
                    {u.openSessions > 0 && (
                      <button type="submit" name="op" value="end-sessions" className={`${button} border-slate-600 text-slate-900`} aria-label={`${a.endSessions}: ${u.loginId}`}>
                        {a.endSessions}
                      </button>
                    )}
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
