import type { Messages } from "@/lib/i18n/messages";
import type { ReviewCandidate } from "@/lib/network";
import { branchesApart } from "@/lib/access/identity-match";

/**
 * Why a held facility id was not filed automatically, in the reviewer's language: a 枝番 conflict says
 * which 枝番 the files sent, the link's own, and the ones a reviewer vouched for. Only a candidate held before the conflict was
 * kept in parts shows the importer's own text.
 */
export function IdentityHeldReason({ c, t }: { c: Pick<ReviewCandidate, "conflict" | "branchConflict">; t: Messages }) {
  if (!c.branchConflict && !c.conflict) return null;
  return (
    <p className="mt-1 text-sm text-amber-900" data-testid="held-reason">
      {t.identityReview.conflict}: {c.branchConflict ? t.identityVouch.branchConflict(c.branchConflict.sent, branchesApart(c.branchConflict)) : c.conflict}
    </p>
  );
}
