"use server";

import { revalidatePath } from "next/cache";
import { requireActor, requireSignedIn } from "@/lib/auth/actor";
import { ApiTokenError, issueApiToken, revokeApiToken } from "@/lib/auth/api-token";
import { formText } from "./form-data";

export interface ApiTokenFormState {
  /** the new token: shown once */
  token?: string;
  expiresAt?: string;
  /** why it was refused (a lib/access reason) */
  error?: string;
}

/**
 * Issues a token. Signed in is enough to ask: lib/access decides (a login without its second factor
 * is refused there, LOGIN_INCOMPLETE), so the refusal is the decision's, not a redirect's.
 */
export async function issueApiTokenAction(_prev: ApiTokenFormState, fd: FormData): Promise<ApiTokenFormState> {
  const actor = await requireSignedIn();
  try {
    const t = await issueApiToken(actor, Number(formText(fd, "hours") ?? "12"), formText(fd, "label") ?? null);
    revalidatePath("/account");
    return { token: t.token, expiresAt: t.expiresAt.toISOString() };
  } catch (e) {
    if (e instanceof ApiTokenError) return { error: e.reason };
    throw e;
  }
}

export async function revokeApiTokenAction(fd: FormData): Promise<void> {
  const actor = await requireActor();
  try {
    await revokeApiToken(actor, formText(fd, "id") ?? "");
  } catch (e) {
    // already revoked or not this user's: nothing to revoke, and the list shows what is left
    if (!(e instanceof ApiTokenError)) throw e;
  }
  revalidatePath("/account");
}
