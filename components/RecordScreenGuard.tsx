"use client";

import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { messages, type Locale } from "@/lib/i18n/messages";
import { RefusedError } from "./refused-fetch";

/** Why the record was taken off the screen: nothing done for the session's idle limit, or a fetch refused (401, 403). */
export type Ended = { by: "idle" } | { by: "refused"; status: number; reason: string | null };

const EndScreen = createContext<((e: Ended) => void) | null>(null);

/** The input that counts as someone at the screen; a resting mouse or a page scrolled by script does not. */
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

/**
 * Takes a refused fetch's error (a 401: the session is over; a 403: reading is no longer allowed) to
 * the guard, which blanks the record. Returns whether a guard took it: outside one the caller says why
 * itself.
 */
export function useEndOnRefusal(error: unknown): boolean {
  const end = useContext(EndScreen);
  const refused = error instanceof RefusedError ? error : null;
  useEffect(() => {
    if (end && refused) end({ by: "refused", status: refused.status, reason: refused.reason });
  }, [end, refused]);
  return end !== null;
}

/**
 * Wraps a patient page's data. The server forgets an idle session after `idleSeconds`, but a page
 * already drawn would keep showing the record to whoever passes an unattended screen: after as long
 * without input here, and at once when a fetch is refused, the record is replaced (not appended to)
 * by a notice and a way to log in again, and the fetched pages are dropped from memory.
 */
export function RecordScreenGuard({ idleSeconds, locale, children }: { idleSeconds: number; locale: Locale; children: ReactNode }) {
  const [ended, setEnded] = useState<Ended | null>(null);
  const queries = useQueryClient();

  useEffect(() => {
    if (ended) {
      queries.clear();
      // Blanking the screen leaves the record in the page: the flight data the page hydrated from
      // (its inline scripts) and the router's cache. Leaving for a page of its own, in place of this
      // one in the history, drops all of it; the notice shows meanwhile, and there.
      window.location.replace(recordClosedUrl(ended));
      return;
    }
    let last = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // one timer, re-armed for the time left when it fires: input only notes the moment
    const check = () => {
      const left = last + idleSeconds * 1000 - Date.now();
      if (left <= 0) setEnded({ by: "idle" });
      else timer = setTimeout(check, left);
    };
    const active = () => {
      last = Date.now();
    };
    // a sleeping laptop holds its timers: look again the moment the page is seen
    const seen = () => {
      if (document.visibilityState !== "visible") return;
      clearTimeout(timer);
      check();
    };
    timer = setTimeout(check, idleSeconds * 1000);
    for (const e of ACTIVITY) window.addEventListener(e, active, { capture: true, passive: true });
    document.addEventListener("visibilitychange", seen);
    return () => {
      clearTimeout(timer);
      for (const e of ACTIVITY) window.removeEventListener(e, active, { capture: true });
      document.removeEventListener("visibilitychange", seen);
    };
  }, [ended, idleSeconds, queries]);

  if (!ended) return <EndScreen.Provider value={setEnded}>{children}</EndScreen.Provider>;
  return <RecordClosedNotice ended={ended} locale={locale} />;
}

/** Where the page goes once its record is off the screen: a page of its own that holds nothing of it. */
export function recordClosedUrl(ended: Ended): string {
  const q = new URLSearchParams(ended.by === "idle" ? { by: "idle" } : { by: String(ended.status), ...(ended.reason ? { reason: ended.reason } : {}) });
  return `/record-closed?${q}`;
}

/** The notice that replaces the record: why it went, and the way back (log in again, or the search). */
export function RecordClosedNotice({ ended, locale }: { ended: Ended; locale: Locale }) {
  const t = messages[locale];
  const s = t.recordScreen;
  const sessionOver = ended.by === "idle" || ended.status === 401;
  // Japanese sentences follow one another without a space; English ones with one
  const text = ended.by === "idle" ? s.idleEnded : ended.status === 401 ? s.sessionEnded : [s.refused, (ended.reason && t.denied.reasons[ended.reason]) || ""].filter(Boolean).join(locale === "ja" ? "" : " ");
  // a break-glass grant that ended: ER staff go on from emergency access, not the patient search
  const [href, label] = sessionOver ? ["/login", s.login] : ended.reason === "NO_ACTIVE_GRANT" ? ["/emergency", t.emergency.nav] : ["/patients", s.search];
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-slate-400 bg-white p-4" data-testid="record-screen-ended">
      <p className="font-semibold text-slate-900">{text}</p>
      {/* a full page load, not a client-side move: nothing of the record stays in the page's memory */}
      <a href={href} className="inline-block rounded bg-blue-700 px-3 py-1.5 font-semibold text-white hover:bg-blue-800">
        {label}
      </a>
    </div>
  );
}
