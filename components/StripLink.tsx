import type { Messages } from "@/lib/i18n/messages";

/**
 * A drug a warning names, as a link to its strip on the medication page (the `#drug-…` id of
 * productAnchor), so the reader goes from the warning to the drug's supplies in one step.
 * `stripsHref` is the medication page's path where the warnings are shown elsewhere (the 統合ビュー),
 * empty on that page itself.
 */
export function StripLink({ display, anchor, stripsHref, t }: { display: string; anchor: string; stripsHref: string; t: Messages }) {
  return (
    <a href={`${stripsHref}#${anchor}`} className="font-semibold underline" title={t.meds.stripLink(display)}>
      {display}
    </a>
  );
}
