"use client";

import { useActionState } from "react";
import { acknowledgeWarningAction, type AcknowledgeState } from "@/app/actions/acknowledge";
import { messages, type Locale } from "@/lib/i18n/messages";
import { isoDateTime } from "@/lib/format/dates";
import type { Acknowledgement } from "@/lib/record";

/**
 * Under one warning: who already marked it as handled (確認済み, with their reason), or, for a doctor or
 * pharmacist, the form to do so. The action decides, validates and audits; the page then re-reads.
 */
export function WarningAcknowledgement({
  patientId,
  warningKey,
  acknowledged,
  mayAcknowledge,
  facilities,
  locale,
}: {
  patientId: string;
  warningKey: string;
  acknowledged: Acknowledgement | null | undefined;
  mayAcknowledge: boolean;
  facilities: Record<string, string>;
  locale: Locale;
}) {
  const t = messages[locale].checks;
  const [state, act, pending] = useActionState<AcknowledgeState, FormData>(acknowledgeWarningAction, {});
  if (acknowledged) {
    return (
      <p className="mt-1 font-semibold text-emerald-900" data-testid="acknowledged">
        ✓ {t.acknowledged(acknowledged.userName, facilities[acknowledged.facilityId] ?? acknowledged.facilityId, isoDateTime(acknowledged.at))}: {acknowledged.reason}
      </p>
    );
  }
  if (!mayAcknowledge) return null;
  const id = `ack-${warningKey.replace(/[^A-Za-z0-9]/g, "-")}`;
  const error = state.errors?.reason ?? state.errors?.warningKey ?? state.errors?.form;
  const errorText = error ? (t.errors[error] ?? messages[locale].denied.reasons[error] ?? error) : null;
  return (
    <form action={act} className="mt-2 flex flex-wrap items-end gap-2 text-sm" data-testid="acknowledge-form">
      <input type="hidden" name="patientId" value={patientId} />
      <input type="hidden" name="warningKey" value={warningKey} />
      <label htmlFor={id} className="flex flex-col">
        {t.reasonLabel}
        <input
          id={id}
          name="reason"
          required
          maxLength={200}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="mt-1 w-72 max-w-full rounded border border-slate-500 bg-white px-2 py-1 text-slate-950"
        />
      </label>
      <button type="submit" disabled={pending} className="rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
        {t.submit}
      </button>
      {errorText && (
        <p id={`${id}-error`} role="alert" className="w-full font-semibold text-red-800">
          {errorText}
        </p>
      )}
      {state.done && (
        <p role="status" className="w-full text-emerald-900">
          {t.saved}
        </p>
      )}
    </form>
  );
}
