"use client";

import { useEffect, useState } from "react";
import { flushSync } from "react-dom";
import { messages, type Locale } from "@/lib/i18n/messages";
import { isoDateTime, warekiDate } from "@/lib/format/dates";
import { useHydrated } from "./use-hydrated";

/**
 * Printed only: whose record, when, by whom and where this copy of patient data was printed, and
 * (emergency view) until when the access it came from was valid, so a sheet found later says what it is. The time is the server's
 * render time until the browser prints: then it becomes the moment of printing (flushSync, since the
 * print snapshot is taken before React would otherwise render).
 */
export function PrintFooter({
  renderedAt,
  userName,
  facilityName,
  grantExpiresAt,
  patient,
  locale,
}: {
  renderedAt: string;
  userName: string;
  facilityName: string;
  /** the emergency view's grant: until when the access the copy came from was valid */
  grantExpiresAt?: string;
  /** whose record, for a printout of several sheets (PrintPages repeats the footer on each) */
  patient?: { name: string; id: string };
  locale: Locale;
}) {
  const [at, setAt] = useState(renderedAt);
  useEffect(() => {
    const onPrint = () => flushSync(() => setAt(new Date().toISOString()));
    window.addEventListener("beforeprint", onPrint);
    return () => window.removeEventListener("beforeprint", onPrint);
  }, []);
  const hydrated = useHydrated();
  const t = messages[locale];
  const e = t.emergency;
  const when = (v: string) => (locale === "ja" ? `${isoDateTime(v)}（${warekiDate(v)}）` : isoDateTime(v));
  // drawn in the browser only (printing happens there): its markup is not added to the page's weight
  if (!hydrated) return null;
  return (
    <footer className="hidden border-t border-slate-500 pt-1 text-[7.5pt] leading-snug text-slate-900 print:block" data-testid="print-footer">
      <p>
        {patient && (
          <>
            <strong>
              {t.recordScreen.printPatient}: {patient.name}
              {t.paren(patient.id)}
            </strong>{" "}
            ·{" "}
          </>
        )}
        {e.printedAt}: {when(at)} · {e.printedBy}: {userName} · {e.printedFacility}: {facilityName}
        {grantExpiresAt && ` · ${e.grantExpires}: ${when(grantExpiresAt)}`}
      </p>
      <p>{patient ? t.recordScreen.printNote : e.printNote}</p>
    </footer>
  );
}
