import type { Actor } from "@/lib/auth/actor";
import { decideIdentity, FacilityAdminRefusedError, IdentityReviewError, unlinkIdentity } from "@/lib/network";
import { formText } from "./form-data";

/**
 * What the identity review's button does for the signed-in actor: confirm or reject one candidate,
 * then the page to return to, saying what happened or why not. Apart from the "use server" file so
 * the tests run it with a clinician (refused) and the network administrator (allowed).
 */
export async function identityDecision(actor: Actor, fd: FormData): Promise<string> {
  const input = { candidateId: formText(fd, "candidateId") ?? "", decision: formText(fd, "decision") ?? "", patientId: formText(fd, "patientId") || undefined, overrideReason: formText(fd, "overrideReason") || undefined, branch: formText(fd, "branch") || undefined };
  try {
    const r = await decideIdentity(actor, input);
    if (r.decision === "reject") return `/admin/identity?done=reject`;
    // a confirmation says what it filed, and what waits again and why: never a link made in silence
    const done = new URLSearchParams({ done: "confirm", filed: String(r.filed) });
    if (r.heldAgain) done.set("held", String(r.heldAgain));
    if (r.heldConflict) {
      done.set("sent", r.heldConflict.sent);
      done.set("linked", r.heldConflict.linked.join("/"));
    }
    if (r.notFiled) done.set("notFiled", String(r.notFiled));
    return `/admin/identity?${done}`;
  } catch (e) {
    if (e instanceof FacilityAdminRefusedError || e instanceof IdentityReviewError) {
      const back = new URLSearchParams({ error: e.reason });
      if (input.patientId) {
        back.set("candidate", input.candidateId);
        back.set("patient", input.patientId);
      }
      return `/admin/identity?${back}`;
    }
    throw e;
  }
}

/**
 * What the review screen's unlink form does: with the confirmation box ticked, undo the link of
 * (facility, patient id), then the page to return to, saying what was taken back or why not.
 */
export async function identityUnlink(actor: Actor, fd: FormData): Promise<string> {
  if (formText(fd, "confirm") !== "yes") return `/admin/identity?error=CONFIRM_REQUIRED`;
  try {
    const r = await unlinkIdentity(actor, { facilityCode: formText(fd, "facilityCode") ?? "", localPatientId: formText(fd, "localPatientId") ?? "", reason: formText(fd, "reason") ?? "" });
    return `/admin/identity?${new URLSearchParams({ done: "unlink", unlinked: r.patientId, documents: String(r.documents), records: String(r.records) })}`;
  } catch (e) {
    if (e instanceof FacilityAdminRefusedError || e instanceof IdentityReviewError) return `/admin/identity?error=${e.reason}`;
    throw e;
  }
}
