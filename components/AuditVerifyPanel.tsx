"use client";

import { useActionState } from "react";
import { verifyAuditAction, type AuditVerifyState } from "@/app/actions/admin-audit";
import { messages, type Locale } from "@/lib/i18n/messages";
import { isoDateTime } from "@/lib/format/dates";

/** Runs the chain verification against the keyed checkpoints and shows what it found, first broken seq first. */
export function AuditVerifyPanel({ locale }: { locale: Locale }) {
  const t = messages[locale];
  const a = t.auditLog;
  const [state, action, pending] = useActionState<AuditVerifyState, FormData>(verifyAuditAction, {});
  const r = state.result;
  // a chain whose newest events no checkpoint covers yet is not tampering: it is said apart, in amber
  const problems = r ? r.findings.filter((f) => f.kind !== "no-checkpoint") : [];
  const n = (v: number) => v.toLocaleString(locale === "ja" ? "ja-JP" : "en-US");
  return (
    <section aria-labelledby="audit-verify-title" className="rounded-lg border border-slate-300 bg-white p-4">
      <h2 id="audit-verify-title" className="text-lg font-semibold">
        {a.verifyTitle}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{a.verifyIntro}</p>
      <form action={action} className="mt-2">
        <button type="submit" disabled={pending} className="rounded border border-blue-700 px-3 py-1 text-sm font-semibold text-blue-800 disabled:opacity-60">
          {pending ? a.verifying : a.verify}
        </button>
      </form>
      <div aria-live="polite" className="mt-2">
        {state.error && (
          <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
            {t.denied.reasons[state.error] ?? state.error}
          </p>
        )}
        {r && r.ok && (
          <p role="status" className="rounded border border-emerald-600 bg-emerald-50 px-3 py-2 font-semibold text-emerald-900" data-testid="audit-verify-result">
            {a.verifyOk(n(r.checked), n(r.chains), n(r.checkpoints))} {a.latestCheckpoint}: {isoDateTime(r.checkpointAt)}
          </p>
        )}
        {r && !r.ok && problems.length === 0 && (
          <p role="status" className="rounded border border-amber-600 bg-amber-50 px-3 py-2 font-semibold text-amber-900" data-testid="audit-verify-result">
            {a.verifyUncovered(r.findings.length)}
          </p>
        )}
        {r && !r.ok && problems.length > 0 && (
          <div role="alert" className="rounded border-2 border-red-700 bg-red-50 px-3 py-2 text-red-900" data-testid="audit-verify-result">
            <p className="font-bold">{a.verifyFailed(problems.length)}</p>
            {r.firstBrokenSeq && (
              <p>
                {a.firstBroken}: <strong className="font-mono">{r.firstBrokenSeq}</strong>
              </p>
            )}
            <ul className="mt-1 list-disc pl-5 text-sm">
              {r.findings.map((f, i) => (
                <li key={i}>
                  <strong>{a.findingKinds[f.kind] ?? f.kind}</strong> · {a.findingWhere(f.chain, f.position, f.seq)} · <span lang="en">{f.message}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </section>
  );
}
