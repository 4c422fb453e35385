import type { ReactNode } from "react";
import Link from "next/link";
import type { Actor } from "@/lib/auth/actor";
import type { Messages } from "@/lib/i18n/messages";
import { getAuditEvent, outcomeOf } from "@/lib/record";
import { isoDateTime } from "@/lib/format/dates";
import { refusalScreen } from "../screen";

/** One audit event with every stored field, for one actor (the page only adds the session). */
export async function auditEventScreen(actor: Actor, t: Messages, seq: string): Promise<ReactNode> {
  const a = t.auditLog;
  const f = a.fields;
  let e;
  try {
    e = await getAuditEvent(actor, seq);
  } catch (err) {
    // a malformed number is as absent as one never written
    if (outcomeOf(err)?.kind !== "invalid") return refusalScreen(err, t);
    e = null;
  }
  const back = (
    <Link href="/admin/audit" className="text-sm text-blue-800 underline">
      {a.back}
    </Link>
  );
  if (!e)
    return (
      <div className="space-y-4">
        <p role="alert">{a.eventNotFound}</p>
        {back}
      </div>
    );
  const rows: [string, ReactNode][] = [
    [f.seq, e.seq],
    [f.at, `${isoDateTime(e.at)}${t.paren(e.at)}`],
    [f.actorId, e.actorId],
    [f.actorName, e.actorName],
    [f.actorProfession, e.actorProfession ? `${t.admin.professions[e.actorProfession] ?? e.actorProfession}${t.paren(e.actorProfession)}` : null],
    [f.facility, e.facilityId ? `${e.facilityName ?? ""}${t.paren(e.facilityId)}` : null],
    [f.action, `${a.actions[e.action] ?? e.action}${t.paren(e.action)}`],
    [f.patientId, e.patientId],
    [f.purpose, e.purpose ? `${t.report.purposes[e.purpose] ?? e.purpose}${t.paren(e.purpose)}` : null],
    [f.outcome, `${t.report.outcomes[e.outcome] ?? e.outcome}${t.paren(e.outcome)}`],
    [f.detail, e.detail === null ? null : <pre key="detail" className="whitespace-pre-wrap break-all font-mono text-xs">{JSON.stringify(e.detail, null, 2)}</pre>],
    [f.chain, String(e.chain)],
    [f.chainSeq, e.chainSeq],
    [f.prevHash, <span key="prevHash" className="break-all font-mono text-xs">{e.prevHash}</span>],
    [f.hash, <span key="hash" className="break-all font-mono text-xs">{e.hash}</span>],
  ];
  return (
    <div className="space-y-4">
      {back}
      <h1 className="text-2xl font-bold">{a.eventTitle(e.seq)}</h1>
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 rounded-lg border border-slate-300 bg-white p-4 sm:grid-cols-[12rem_1fr]" data-testid="audit-event">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="font-semibold text-slate-700">{label}</dt>
            <dd className="min-w-0">{value ?? t.dash}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
