import Link from "next/link";
import { requireActor } from "@/lib/auth/actor";
import { getMessages } from "@/lib/i18n/server";
import { FACILITY_KINDS, FACILITY_ROLES, FACILITY_STATUSES, listFacilities, PREFECTURES, type FacilityListQuery } from "@/lib/network";
import { inputClass } from "@/components/CardFields";
import { TableHead } from "@/components/TableHead";
import { Notice } from "@/components/Notice";
import { facilityErrorText } from "@/components/facility-messages";
import { orRefusal } from "./or-refusal";
import { prefectureName } from "@/lib/format/prefectures";
import { titled } from "@/lib/i18n/page-title";

export const generateMetadata = titled((t) => t.facilities.title);

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** The URL of this list with these filters on another page (empty filters left out). */
function pageHref(q: FacilityListQuery, page: number) {
  const params = new URLSearchParams(Object.entries({ ...q, page: String(page) }).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  return `/admin/facilities?${params}`;
}

/** Participating facilities: search by name or 医療機関コード, filter by kind, prefecture, role and status, 50 a page. */
export default async function FacilitiesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const { t, locale } = await getMessages();
  const f = t.facilities;
  const sp = await searchParams;
  const raw = Object.fromEntries(["q", "kind", "prefecture", "role", "status", "page"].map((k) => [k, first(sp[k])]));
  const list = await orRefusal(() => listFacilities(actor, raw));
  if ("refused" in list) return <p role="alert">{f.refusals[list.refused] ?? f.refusals.NOT_NETWORK_ADMINISTRATOR}</p>;
  const { rows, total, pageCount, query } = list.value;
  // a button on a facility that no longer exists comes back here to say so
  const error = typeof sp.error === "string" ? facilityErrorText(t, sp.error) : null;
  const select = (name: "kind" | "prefecture" | "role" | "status", label: string, options: readonly string[], show: (o: string) => string) => (
    <label className="flex flex-col text-sm">
      {label}
      <select name={name} defaultValue={query[name] ?? ""} className={inputClass}>
        <option value="">{f.all}</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {show(o)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-bold">{f.title}</h1>
        <Link href="/admin/facilities/new" className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
          {f.newFacility}
        </Link>
      </div>
      {error && <Notice tone="error">{error}</Notice>}
      {/* keyed by the query: a link to other filters (条件を解除, a page) stays on this route, and the fields must show them, not what was typed before */}
      <form key={JSON.stringify(query)} method="get" role="search" className="grid gap-3 rounded-lg border border-slate-300 bg-white p-3 sm:grid-cols-3 lg:grid-cols-6">
        <label className="flex flex-col text-sm sm:col-span-2">
          {f.searchLabel}
          <input type="search" name="q" defaultValue={query.q ?? ""} className={inputClass} />
        </label>
        {select("kind", f.kind, FACILITY_KINDS, (k) => f.kinds[k] ?? k)}
        {select("prefecture", f.prefecture, PREFECTURES, (p) => prefectureName(p, locale))}
        {select("role", f.role, FACILITY_ROLES, (r) => f.roles[r] ?? r)}
        {select("status", f.status, FACILITY_STATUSES, (s) => f.statuses[s] ?? s)}
        <div className="flex items-end gap-3 sm:col-span-3 lg:col-span-6">
          <button type="submit" className="rounded bg-blue-700 px-4 py-1.5 font-semibold text-white hover:bg-blue-800">
            {f.search}
          </button>
          <Link href="/admin/facilities" className="text-sm text-blue-800 underline">
            {f.clear}
          </Link>
        </div>
      </form>
      <p role="status" className="text-sm text-slate-700">
        {f.count(total, query.page, pageCount)}
      </p>
      {rows.length === 0 ? (
        <p>{f.none}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-300 bg-white">
          <table className="w-full text-sm" data-testid="facilities">
            <TableHead columns={[f.code, f.name, f.kind, f.prefecture, f.role, f.status, f.users, f.joinedOn]} />
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className="border-t border-slate-200 align-top" data-code={r.code}>
                  <td className="p-2 font-mono">{r.code}</td>
                  <td className="p-2">
                    <Link href={`/admin/facilities/${encodeURIComponent(r.id)}`} className="text-blue-800 underline">
                      {r.name}
                    </Link>
                  </td>
                  <td className="p-2">{f.kinds[r.kind]}</td>
                  <td className="p-2">{r.prefecture ? prefectureName(r.prefecture, locale) : t.dash}</td>
                  <td className="p-2">{t.list([r.discloses && f.roles.DISCLOSES, r.views && f.roles.VIEWS, r.canBreakGlass && f.roles.BREAK_GLASS].filter((x): x is string => !!x))}</td>
                  <td className="p-2">{r.status === "ACTIVE" ? f.statuses.ACTIVE : <strong className="text-red-800">{f.statuses.SUSPENDED}</strong>}</td>
                  <td className="p-2">{r.activeUsers}</td>
                  <td className="p-2">{r.joinedOn ?? t.dash}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pageCount > 1 && (
        <nav aria-label={f.count(total, query.page, pageCount)} className="flex gap-4">
          {query.page > 1 && (
            <Link href={pageHref(query, query.page - 1)} rel="prev" className="text-blue-800 underline">
              {f.prev}
            </Link>
          )}
          {query.page < pageCount && (
            <Link href={pageHref(query, query.page + 1)} rel="next" className="text-blue-800 underline">
              {f.next}
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
