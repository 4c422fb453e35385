import type { ReactNode } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { AccountAdminRefusedError, getUser, NotAdministratorError } from "@/lib/auth/user-admin";
import { AccountFieldsError } from "@/lib/auth/account";
import { userOperationAction } from "@/app/actions/admin-users";
import { Notice } from "@/components/Notice";
import { IdentityResetForm } from "@/components/IdentityResetForm";
import { accountDoneText, accountErrorText } from "@/components/account-messages";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.admin.usersTitle);

const button = "rounded border px-3 py-1 text-sm font-semibold";

/** One part of the account's page, named by its heading. */
function Panel({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-title`} className="space-y-2 rounded-lg border border-slate-300 bg-white p-4">
      <h2 id={`${id}-title`} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * One account: its state (deactivate after a confirmation naming the effect, reactivate, unlock,
 * end sessions), facility-administrator rights (the network administrator only), and the resets
 * after a recorded identity check. Each part shows only when lib/access would allow it.
 */
export default async function UserPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const a = t.admin;
  const c = t.accounts;
  const { id } = await params;
  let u;
  try {
    u = await getUser(actor, id);
  } catch (e) {
    // refused: the page says why (HTTP status stays 200: authInterrupts/forbidden() is not enabled in next.config)
    if (e instanceof NotAdministratorError) return <p role="alert">{a.refused}</p>;
    if (e instanceof AccountAdminRefusedError) return <p role="alert">{accountErrorText(t, e.reason)}</p>;
    if (e instanceof AccountFieldsError) notFound();
    throw e;
  }
  const sp = await searchParams;
  const done = typeof sp.done === "string" ? accountDoneText(t, sp.done) : null;
  const error = typeof sp.error === "string" ? accountErrorText(t, sp.error) : null;
  const hidden = (
    <>
      <input type="hidden" name="userId" value={u.id} />
      <input type="hidden" name="from" value="user" />
    </>
  );
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <Link href="/admin/users" className="text-sm text-blue-800 underline">
        {c.back}
      </Link>
      <div>
        <h1 className="text-2xl font-bold">
          {u.name} <span className="font-mono text-lg">{u.loginId}</span>
        </h1>
        <p className="text-sm text-slate-700">
          {u.facilityName} · {a.professions[u.profession]} {u.licenseNumber ?? ""} · {u.status === "ACTIVE" ? c.statuses.ACTIVE : <strong className="text-red-800">{c.statuses[u.status]}</strong>}
          {u.locked && <strong className="text-red-800"> · {a.locked}</strong>}
        </p>
        {u.facilityAdministrator && <p className="mt-1 inline-block rounded bg-indigo-100 px-1 text-sm font-semibold text-indigo-900">{c.facilityAdministrator}</p>}
      </div>
      {done && <Notice tone="done">{done}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}

      <Panel id="state" title={c.stateTitle}>
        <p className="text-sm">{c.sessionsOpen(u.openSessions)}</p>
        <div className="flex flex-wrap gap-2">
          {u.locked && u.may.UNLOCK && (
            <form action={userOperationAction}>
              {hidden}
              <button type="submit" name="op" value="unlock" className={`${button} border-blue-700 text-blue-800`}>
                {a.unlock}
              </button>
            </form>
          )}
          {u.openSessions > 0 && u.may.END_SESSIONS && (
            <form action={userOperationAction}>
              {hidden}
              <button type="submit" name="op" value="end-sessions" className={`${button} border-slate-600 text-slate-900`} aria-label={`${a.endSessions}: ${u.loginId}`}>
                {a.endSessions}
              </button>
            </form>
          )}
        </div>
        {u.status !== "DEACTIVATED" && u.may.DEACTIVATE && (
          <form action={userOperationAction} className="space-y-2 rounded border border-red-600 bg-red-50 p-3" aria-labelledby="deactivate-title">
            {hidden}
            <h3 id="deactivate-title" className="font-semibold text-red-900">
              {c.deactivateTitle}
            </h3>
            <p className="text-sm text-red-950">{c.deactivateEffect}</p>
            <label className="flex items-center gap-2 text-sm font-semibold text-red-950">
              <input type="checkbox" name="confirm" value="yes" required />
              {c.deactivateConfirm}
            </label>
            <button type="submit" name="op" value="deactivate" className="rounded bg-red-700 px-3 py-1 text-sm font-semibold text-white hover:bg-red-800" aria-label={`${a.deactivate}: ${u.loginId}`}>
              {a.deactivate}
            </button>
          </form>
        )}
        {u.status === "DEACTIVATED" && u.may.REACTIVATE && (
          <form action={userOperationAction} className="space-y-1">
            {hidden}
            <p className="text-sm">{c.reactivateNote}</p>
            <button type="submit" name="op" value="reactivate" className={`${button} border-blue-700 text-blue-800`} aria-label={`${a.reactivate}: ${u.loginId}`}>
              {a.reactivate}
            </button>
          </form>
        )}
      </Panel>

      {(u.may.GRANT_FACILITY_ADMINISTRATOR || u.may.REVOKE_FACILITY_ADMINISTRATOR) && (
        <Panel id="facility-admin" title={c.facilityAdminTitle}>
          <p className="text-sm text-slate-700">{c.facilityAdminNote}</p>
          {u.facilityAdministrator && <p className="text-sm font-semibold">{c.isFacilityAdmin}</p>}
          <form action={userOperationAction}>
            {hidden}
            <button
              type="submit"
              name="op"
              value={u.may.GRANT_FACILITY_ADMINISTRATOR ? "grant-facility-admin" : "revoke-facility-admin"}
              className={`${button} ${u.may.GRANT_FACILITY_ADMINISTRATOR ? "border-indigo-700 text-indigo-900" : "border-red-700 text-red-800"}`}
            >
              {u.may.GRANT_FACILITY_ADMINISTRATOR ? c.grant : c.revoke}
            </button>
          </form>
        </Panel>
      )}

      {u.may.RESET_PASSWORD && (
        <Panel id="password" title={c.passwordTitle}>
          <p className="text-sm text-slate-700">{c.passwordNote}</p>
          <IdentityResetForm locale={locale} userId={u.id} loginId={u.loginId} kind="password" />
        </Panel>
      )}

      {u.may.RESET_SECOND_FACTOR && (
        <Panel id="second-factor" title={c.secondFactorTitle}>
          {u.secondFactor ? (
            <>
              <p className="text-sm text-slate-700">{c.secondFactorNote}</p>
              <IdentityResetForm locale={locale} userId={u.id} loginId={u.loginId} kind="second-factor" />
            </>
          ) : (
            <p className="text-sm">{c.secondFactorNotEnrolled}</p>
          )}
        </Panel>
      )}
    </div>
  );
}
