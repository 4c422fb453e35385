import type { Locale, Messages } from "@/lib/i18n/messages";
import { sentIdentity, type ReviewCandidate } from "@/lib/network";
import { identityValueText } from "./identity-value";

/**
 * Whom a held facility id's files are about, item by item (name, kana, birth date, sex, insurance
 * numbers), shown before any patient is named to compare with: the reviewer needs them to find the
 * right patient in the first place.
 */
export function IdentitySent({ c, t, locale }: { c: ReviewCandidate; t: Messages; locale: Locale }) {
  const r = t.identityReview;
  const sent = sentIdentity(c.source);
  const shown = (field: keyof typeof sent) => identityValueText(field, sent[field], { t, locale, insurerOf: c.source });
  return (
    <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-3 gap-y-0.5 text-sm" aria-label={r.source} data-testid="sent-identity">
      {(Object.keys(sent) as (keyof typeof sent)[]).map((f) => (
        <div key={f} className="contents">
          <dt className="font-semibold">{r.fields[f]}</dt>
          <dd>{shown(f)}</dd>
        </div>
      ))}
    </dl>
  );
}
