import type { ReactNode } from "react";

/**
 * The outcome of what the user just did: "done" (a polite status) or "error" (an alert). A div, not a
 * paragraph: a notice may hold paragraphs and blocks (the API token shown once), and a <p> inside a <p>
 * is invalid HTML that React reports as a hydration error (review 11).
 */
export function Notice({ tone, children }: { tone: "done" | "error"; children: ReactNode }) {
  return tone === "done" ? (
    <div role="status" className="rounded border border-emerald-600 bg-emerald-50 px-3 py-2 font-semibold text-emerald-900">
      {children}
    </div>
  ) : (
    <div role="alert" className="rounded border border-red-600 bg-red-50 px-3 py-2 text-red-900">
      {children}
    </div>
  );
}
