import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { getFacility } from "@/lib/network";
import { isoDateTime } from "@/lib/format/dates";
import { facilityOperationAction } from "@/app/actions/admin-facilities";
import { FacilityForm } from "@/components/FacilityForm";
import { IssueKeyForm } from "@/components/IssueKeyForm";
import { ImportLogTable } from "@/components/ImportLogTable";
import { Notice } from "@/components/Notice";
import { ReinstateNote, SuspensionEffects } from "@/components/SuspensionEffects";
import { TableHead } from "@/components/TableHead";
import { facilityErrorText } from "@/components/facility-messages";
import { orRefusal } from "../or-refusal";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.facilities.title);

const button = "rounded border px-3 py-1 text-sm font-semibold";

/** One facility: its details (editable), suspension with what it stops, its push keys and its imports. */
export default async function FacilityPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { locale, t } = await getMessages();
  const f = t.facilities;
  const { id } = await params;
  const read = await orRefusal(() => getFacility(actor, id));
  if ("refused" in read) return <p role="alert">{f.refusals[read.refused] ?? f.refusals.NOT_NETWORK_ADMINISTRATOR}</p>;
  const { facility, effect, keys, imports } = read.value;
  const sp = await searchParams;
  const done = typeof sp.done === "string" ? f.done[sp.done] : null;
  const error = typeof sp.error === "string" ? facilityErrorText(t, sp.error) : null;
  const active = facility.status === "ACTIVE";
  const confirming = active && sp.confirm === "suspend";
  const own = facility.id === actor.facilityId;
  const page = `/admin/facilities/${encodeURIComponent(facility.id)}`;
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <Link href="/admin/facilities" className="text-sm text-blue-800 underline">
        {f.back}
      </Link>
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-2xl font-bold">{facility.name}</h1>
        <span className="font-mono">{facility.code}</span>
        {active ? <span>{f.statuses.ACTIVE}</span> : <strong className="text-red-800">{f.suspendedSince(isoDateTime(facility.suspendedAt))}</strong>}
        {!active && facility.recordsWithheld && (
          <p className="mt-1 font-semibold text-red-900" data-testid="records-withheld">
            {f.recordsWithheld}
          </p>
        )}
      </div>
      {done && <Notice tone="done">{done}</Notice>}
      {error && <Notice tone="error">{error}</Notice>}

      <section aria-labelledby="suspension-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="suspension-title" className="text-lg font-semibold">
          {f.suspension}
        </h2>
        {!active ? (
          <form action={facilityOperationAction} className="mt-2 space-y-2">
            <input type="hidden" name="facilityId" value={facility.id} />
            <ReinstateNote t={t} />
            <button type="submit" name="op" value="reinstate" className={`${button} border-blue-700 text-blue-800`}>
              {f.reinstate}
            </button>
          </form>
        ) : own ? (
          <p className="mt-2 text-sm">{f.refusals.OWN_FACILITY}</p>
        ) : confirming ? (
          <form action={facilityOperationAction} className="mt-2 space-y-2 rounded border border-red-600 bg-red-50 p-3" aria-labelledby="confirm-title">
            <p id="confirm-title" className="font-semibold text-red-900">
              {f.confirmSuspend(facility.name)}
            </p>
            <SuspensionEffects effect={effect} t={t} />
            <label className="flex items-start gap-2 text-sm text-red-950">
              <input type="checkbox" name="withholdRecords" className="mt-1" />
              <span>{f.withholdRecords}</span>
            </label>
            <input type="hidden" name="facilityId" value={facility.id} />
            <div className="flex items-center gap-4">
              <button type="submit" name="op" value="suspend" className="rounded bg-red-700 px-3 py-1 text-sm font-semibold text-white hover:bg-red-800">
                {f.confirm}
              </button>
              <Link href={page} className="text-sm text-blue-800 underline">
                {f.cancel}
              </Link>
            </div>
          </form>
        ) : (
          <Link href={`${page}?confirm=suspend`} className={`mt-2 inline-block ${button} border-red-700 text-red-800`}>
            {f.suspend}
          </Link>
        )}
      </section>

      <section aria-labelledby="keys-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="keys-title" className="text-lg font-semibold">
          {f.keys}
        </h2>
        <p className="mt-1 text-sm text-slate-700">{f.keysNote}</p>
        {keys.length === 0 ? (
          <p className="mt-2 text-sm">{f.noKeys}</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-sm" data-testid="keys">
              <TableHead columns={[f.keyId, f.issuedAt, f.lastUsed, f.status]} />
              <tbody>
                {keys.map((k) => (
                  <tr key={k.id} className="border-t border-slate-200" data-key={k.id}>
                    <td className="p-2 font-mono">{k.id}</td>
                    <td className="p-2">
                      {isoDateTime(k.createdAt)} · {k.createdBy}
                    </td>
                    <td className="p-2">{k.lastUsedAt ? isoDateTime(k.lastUsedAt) : f.never}</td>
                    <td className="p-2">
                      {k.revokedAt ? (
                        f.revokedAt(isoDateTime(k.revokedAt), k.revokedBy ?? t.dash)
                      ) : sp.confirm === "revoke" && sp.key === k.id ? (
                        // revoking cannot be undone and stops the facility's pushes at once: said before it is done
                        <form action={facilityOperationAction} className="space-y-2 rounded border border-red-600 bg-red-50 p-2" aria-labelledby={`revoke-${k.id}`}>
                          <p id={`revoke-${k.id}`} className="text-red-950">
                            {f.confirmRevoke}
                          </p>
                          <input type="hidden" name="facilityId" value={facility.id} />
                          <input type="hidden" name="keyId" value={k.id} />
                          <div className="flex items-center gap-3">
                            <button type="submit" name="op" value="revoke" aria-label={`${f.revoke}: ${k.id}`} className="rounded bg-red-700 px-3 py-1 text-sm font-semibold text-white hover:bg-red-800">
                              {f.revoke}
                            </button>
                            <Link href={page} className="text-sm text-blue-800 underline">
                              {f.cancel}
                            </Link>
                          </div>
                        </form>
                      ) : (
                        <span className="flex items-center gap-2">
                          <span>{f.live}</span>
                          <Link href={`${page}?confirm=revoke&key=${encodeURIComponent(k.id)}`} aria-label={`${f.revokeAsk} ${k.id}`} className={`${button} border-red-700 text-red-800`}>
                            {f.revokeAsk}
                          </Link>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div className="mt-3">
          {!active ? <p className="text-sm">{f.refusals.FACILITY_SUSPENDED}</p> : !facility.discloses ? <p className="text-sm">{f.refusals.FACILITY_NOT_DISCLOSING}</p> : <IssueKeyForm locale={locale} facilityId={facility.id} />}
        </div>
      </section>

      <ImportLogTable imports={imports} t={t} />

      <section aria-labelledby="details-title" className="rounded-lg border border-slate-300 bg-white p-4">
        <h2 id="details-title" className="mb-3 text-lg font-semibold">
          {f.editTitle}
        </h2>
        <FacilityForm locale={locale} facility={facility} today={facility.joinedOn ?? ""} />
      </section>
    </div>
  );
}
