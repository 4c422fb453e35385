import type { Messages } from "@/lib/i18n/messages";

/**
 * In place of an end date for a 頓用 (as-needed) medicine: its doses are kept for when needed, so no end
 * follows from the amount. `since` is the day it was last issued.
 */
export function AsNeeded({ since, t }: { since?: string; t: Messages }) {
  return (
    <span className="whitespace-nowrap">
      <span className="rounded border border-amber-600 px-1 font-sans text-xs text-amber-900">{t.meds.asNeeded}</span>
      {since ? <span className="ml-1">{t.meds.prnSince(since)}</span> : null}
    </span>
  );
}
