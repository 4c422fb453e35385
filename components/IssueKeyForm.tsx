"use client";

import { useActionState } from "react";
import { issueKeyAction } from "@/app/actions/admin-facilities";
import type { IssueKeyState } from "@/app/actions/facility-forms";
import { messages, type Locale } from "@/lib/i18n/messages";
import { facilityErrorText } from "./facility-messages";

/** Issues a push key; the key appears here once, never in a URL, and cannot be shown again. */
export function IssueKeyForm({ locale, facilityId }: { locale: Locale; facilityId: string }) {
  const f = messages[locale].facilities;
  const [state, action, pending] = useActionState<IssueKeyState, FormData>(issueKeyAction, {});
  return (
    <div className="space-y-2">
      {state.issued && (
        <div role="status" className="space-y-1 rounded border border-emerald-600 bg-emerald-50 p-3 text-emerald-950">
          <p className="font-semibold">{f.issued(state.issued.id)}</p>
          <code className="block break-all rounded bg-white px-2 py-1 font-mono" data-testid="issued-key">
            {state.issued.key}
          </code>
        </div>
      )}
      {state.error && (
        <p role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
          {facilityErrorText(messages[locale], state.error)}
        </p>
      )}
      <form action={action}>
        <input type="hidden" name="facilityId" value={facilityId} />
        <button type="submit" disabled={pending} className="rounded border border-blue-700 px-3 py-1 text-sm font-semibold text-blue-800 disabled:opacity-60">
          {f.issue}
        </button>
      </form>
    </div>
  );
}
