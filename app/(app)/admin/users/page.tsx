import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { listUsers, NotAdministratorError, PROFESSIONS, USER_STATUSES, VERIFICATION_METHODS } from "@/lib/auth/user-admin";
import { isoDate } from "@/lib/format/dates";
import { userOperationAction } from "@/app/actions/admin-users";
import { Notice } from "@/components/Notice";
import { inputClass } from "@/components/CardFields";
import { TableHead } from "@/components/TableHead";
import { PageLinks, SearchSubmit } from "@/components/ListControls";
import { accountDoneText, accountErrorText } from "@/components/account-messages";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.admin.usersTitle);

const button = "rounded border px-2 py-0.5 text-xs font-semibold";
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/**
 * Accounts: search by name, kana, login id or licence number; filter by facility, profession and
 * status; 50 a page. A facility administrator sees their own facility's only. Each account's
 * resets, deactivation and rights are on its own page; the licence check stays in the row.
 */
export default async function UsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { t } = await getMessages();
  const a = t.admin;
  const c = t.accounts;
  const sp = await searchParams;
  const raw = Object.fromEntries(["q", "facility", "profession", "status", "page"].map((k) => [k, first(sp[k])]));
  let list;
  try {
    list = await listUsers(actor, raw);
  } catch (e) {
    // refused: the page says so (HTTP status stays 200: authInterrupts/forbidden() is not enabled in next.config)
    if (e instanceof NotAdministratorError) return <p role="alert">{a.refused}</p>;
    throw e;
  }
  const { rows, total, pageCount, query, facilities, ownFacilityOnly } = list;
  const done = typeof sp.done === "string" ? accountDoneText(t, sp.done) : null;
  const error = typeof sp.error === "string" ? accountErrorText(t, sp.error) : null;
  const select = (name: "facility" | "profession" | "status", label: string, options: readonly { value: string; label: string }[]) => (
    <label className="flex flex-col text-sm">
      {label}
      <select name={name} defaultValue={query[name] ?? ""} className={inputClass}>
        <option value="">{c.all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  // The rows' links are not prefetched: opening an account's page is an audited read, which 50 rows
  // scrolled into view must not each write.
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold">{a.usersTitle}</h1>
        <Link href="/admin/users/new" className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
          {a.newUser}
        </Link>
      </div>
      {done && <Notice tone="done">{done}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}
      {ownFacilityOnly && facilities[0] && <p className="text-sm text-slate-700">{c.ownFacilityOnly(facilities[0].name)}</p>}
      {/* keyed by the query: a link to other filters (条件を解除, a page) must show those, not what was typed before */}
      <form key={JSON.stringify(query)} method="get" role="search" className="grid gap-3 rounded-lg border border-slate-300 bg-white p-3 sm:grid-cols-2 lg:grid-cols-5">
        <label className="flex flex-col text-sm sm:col-span-2">
          {c.searchLabel}
          <input type="search" name="q" defaultValue={query.q ?? ""} className={inputClass} />
        </label>
        {!ownFacilityOnly && select("facility", a.facility, facilities.map((f) => ({ value: f.id, label: f.name })))}
        {select("profession", a.profession, PROFESSIONS.map((p) => ({ value: p, label: a.professions[p] ?? p })))}
        {select("status", c.statusFilter, USER_STATUSES.map((s) => ({ value: s, label: c.statuses[s] ?? s })))}
        <SearchSubmit base="/admin/users" search={c.search} clear={c.clear} className="sm:col-span-2 lg:col-span-5" />
      </form>
      <p className="text-sm text-slate-700">
        {c.count(total, query.page, pageCount)}
      </p>
      {rows.length === 0 ? (
        <p>{c.none}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-300 bg-white">
          <table className="w-full text-sm" data-testid="users">
            <TableHead columns={[a.loginId, a.name, a.facility, a.verified, a.status, a.sessions]} />
            <tbody>
              {rows.map((u) => (
                <tr key={u.id} className="border-t border-slate-200 align-top" data-login={u.loginId}>
                  <td className="p-2 font-mono">
                    {u.may.VIEW ? (
                      <Link href={`/admin/users/${encodeURIComponent(u.id)}`} prefetch={false} className="text-blue-800 underline">
                        {u.loginId}
                      </Link>
                    ) : (
                      u.loginId
                    )}
                  </td>
                  <td className="p-2">
                    {u.name}
                    <span className="block text-xs text-slate-700">
                      {a.professions[u.profession]} {u.licenseNumber ?? ""}
                    </span>
                    {u.facilityAdministrator && <span className="mt-0.5 inline-block rounded bg-indigo-100 px-1 text-xs font-semibold text-indigo-900">{c.facilityAdministrator}</span>}
                  </td>
                  <td className="p-2">{u.facilityName}</td>
                  <td className="p-2">
                    {u.credentialVerifiedAt ? (
                      <span>
                        {isoDate(u.credentialVerifiedAt)} · {u.credentialVerifiedBy}
                        <span className="block text-xs text-slate-700">{a.methods[u.credentialVerificationMethod ?? ""] ?? u.credentialVerificationMethod}</span>
                      </span>
                    ) : u.may.RECORD_LICENCE_CHECK ? (
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
                    ) : (
                      <strong className="text-red-800">{a.notVerified}</strong>
                    )}
                  </td>
                  <td className="p-2">
                    {u.status === "ACTIVE" ? c.statuses.ACTIVE : <strong className="text-red-800">{c.statuses[u.status]}</strong>}
                    {u.locked && <strong className="text-red-800"> · {a.locked}</strong>}
                    {!u.secondFactor && <span className="text-xs text-slate-700"> · {a.secondFactor} –</span>}
                  </td>
                  <td className="p-2">
                    <span>{u.openSessions}</span>
                    {u.may.VIEW && (
                      <Link href={`/admin/users/${encodeURIComponent(u.id)}`} prefetch={false} className={`ml-2 ${button} border-slate-600 text-slate-900`} aria-label={c.manageLabel(u.loginId)}>
                        {c.manage}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks base="/admin/users" query={query} page={query.page} pageCount={pageCount} label={c.count(total, query.page, pageCount)} prev={c.prev} next={c.next} />
    </div>
  );
}
