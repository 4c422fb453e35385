import type { ScopeNote } from "@/lib/record";
import type { Messages } from "@/lib/i18n/messages";
import { EmergencyLabTable } from "./EmergencyLabTable";

/**
 * Under an emergency-only consent: the emergency lab values the scope keeps (the break-glass page's
 * list), and which kinds the scope leaves out — so that a page never says "no results" of what the
 * scope hides. Nothing under a full scope.
 */
export function ScopeLimits({ note, facilities, t }: { note: ScopeNote; facilities: Record<string, string>; t: Messages }) {
  const s = t.scopeLimits;
  if (note.hidden.length === 0 && !note.emergencyLabs) return null;
  return (
    <section aria-labelledby={note.emergencyLabs ? "scope-labs-title" : undefined} className="rounded-lg border border-slate-300 bg-white p-3" data-testid="scope-limits">
      {note.emergencyLabs && (
        <>
          <h2 id="scope-labs-title" className="text-lg font-semibold">
            {s.labsTitle}
          </h2>
          {note.emergencyLabs.length > 0 ? <EmergencyLabTable labs={note.emergencyLabs} name={(id) => facilities[id] ?? id} t={t} /> : <p className="mt-1 text-slate-700">{s.labsNone}</p>}
          <p className="mt-2 text-sm text-slate-700">{s.latestOnly}</p>
        </>
      )}
      {note.hidden.length > 0 && (
        <p role="note" className="mt-2 font-semibold text-slate-900" data-testid="scope-hidden">
          {s.hidden(note.hidden.map((k) => s.kinds[k] ?? k))}
        </p>
      )}
    </section>
  );
}

/**
 * A lab page with no results to draw: under a scope that hides the lab history, the scope's note and
 * the emergency values it keeps; otherwise the page's own "none" (there really are none).
 */
export function LabsNoneOrScope({ note, none, facilities, t }: { note: ScopeNote; none: string; facilities: Record<string, string>; t: Messages }) {
  return note.hidden.includes("lab") ? <ScopeLimits note={note} facilities={facilities} t={t} /> : <p className="mt-2 text-slate-700">{none}</p>;
}
