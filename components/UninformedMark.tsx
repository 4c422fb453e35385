import type { Messages } from "@/lib/i18n/messages";

/**
 * 未告知: the sending facility says the patient has not been told this (JP_ehrshrs_indication
 * UNINFORMED). Loud enough to be seen at a glance, so that nobody tells the patient by accident;
 * the note says what to do, for a screen reader as for a hover.
 */
export function UninformedMark({ t }: { t: Messages }) {
  return (
    <span className="rounded border border-red-700 bg-red-50 px-1 text-xs font-bold text-red-800" title={t.summary.uninformedNote} data-testid="uninformed">
      {t.patient.tag.UNINFORMED}
      <span className="sr-only">: {t.summary.uninformedNote}</span>
    </span>
  );
}
