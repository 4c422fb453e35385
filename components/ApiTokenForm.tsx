"use client";

import { useActionState } from "react";
import { issueApiTokenAction, type ApiTokenFormState } from "@/app/actions/api-tokens";
import { messages, type Locale } from "@/lib/i18n/messages";
import { apiTokenRefusalText } from "./api-token-messages";
import { inputClass } from "./CardFields";
import { Notice } from "./Notice";

/** Issues a FHIR API token and shows it once (only its hash is kept). */
export function ApiTokenForm({ locale }: { locale: Locale }) {
  const t = messages[locale];
  const a = t.apiTokens;
  const [state, action, pending] = useActionState<ApiTokenFormState, FormData>(issueApiTokenAction, {});
  return (
    <form action={action} className="mt-3 space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col text-sm">
          {a.label}
          <input name="label" type="text" maxLength={100} className={`${inputClass} w-64`} />
        </label>
        <label className="flex flex-col text-sm">
          {a.hours}
          <select name="hours" defaultValue="12" className={`${inputClass} w-32`}>
            {[1, 4, 8, 12].map((h) => (
              <option key={h} value={h}>
                {a.hoursOption(h)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={pending} className="rounded bg-blue-700 px-4 py-2 font-semibold text-white hover:bg-blue-800 disabled:opacity-60">
          {a.issue}
        </button>
      </div>
      {state.error && <Notice tone="error">{a.refused(apiTokenRefusalText(t, state.error))}</Notice>}
      {state.token && (
        <Notice tone="done">
          <p>{a.showOnce}</p>
          <code data-testid="api-token" className="mt-1 block break-all rounded bg-slate-100 p-2 font-mono text-sm">
            {state.token}
          </code>
        </Notice>
      )}
    </form>
  );
}
