import { wideningKey, type ConsentWidening } from "@/lib/access/consent-change";
import { isoDate } from "@/lib/format/dates";
import type { Messages } from "@/lib/i18n/messages";
import { FieldError, fieldAria } from "./CardFields";

/** One widening in words: what becomes visible to the facility's viewers. */
function wideningText(w: ConsentWidening, t: Messages): string {
  const m = t.consentChange;
  if (w.kind === "CATEGORY") return m.category(t.consent.categories[w.category] ?? w.category);
  if (w.kind === "SCOPE") return m.scope;
  if (w.kind === "RESUMED") return w.ended === "WITHDRAWN" ? m.resumedAfterWithdrawal : m.resumedAfterExpiry;
  // `until` is the instant the consent ends: the last day it holds is the day before, in Japan
  return w.until ? m.expiryUntil(isoDate(new Date(w.until.getTime() - 1))) : m.expiryNone;
}

/**
 * The confirmation a change that shares more needs: each thing that becomes visible, named, and a tick
 * that sends back the key of exactly this widening (lib/access/consent-change), which the server checks.
 */
export function ConsentWideningConfirm({ widening, t, errors }: { widening: readonly ConsentWidening[]; t: Messages; errors: Record<string, string> }) {
  const m = t.consentChange;
  return (
    <fieldset className="rounded border-2 border-amber-600 bg-amber-50 p-3" data-testid="consent-widening">
      {/* no consent is in force when an ended one is recorded anew: the title does not speak of one */}
      <legend className="px-1 font-semibold text-amber-950">{widening.some((w) => w.kind === "RESUMED") ? m.resumingTitle : m.wideningTitle}</legend>
      <ul className="list-disc pl-5 text-amber-950">
        {widening.map((w) => (
          <li key={wideningKey([w])}>{wideningText(w, t)}</li>
        ))}
      </ul>
      <label className="mt-2 inline-flex items-center gap-2 font-semibold">
        <input type="checkbox" name="confirmWidening" value={wideningKey(widening)} required {...fieldAria("confirmWidening", errors)} /> {m.confirm}
      </label>
      {/* on a line of its own, not run into the tick's label */}
      <div>
        <FieldError field="confirmWidening" errors={errors} t={t} texts={m.errors} />
      </div>
    </fieldset>
  );
}
