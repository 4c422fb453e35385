"use client";

import { useEffect, useState } from "react";
import { flushSync } from "react-dom";
import { messages, type Locale } from "@/lib/i18n/messages";
import { isoDateTime, warekiDate } from "@/lib/format/dates";

/**
 * Printed only: when, by whom and where this copy of patient data was printed, and until when the
 * access it came from was valid, so a sheet found later says what it is. The time is the server's
 * render time until the browser prints: then it becomes the moment of printing (flushSync, since the
 * print snapshot is taken before React would otherwise render).
 */
export function PrintFooter({ renderedAt, userName, facilityName, grantExpiresAt, locale }: { renderedAt: string; userName: string; facilityName: string; grantExpiresAt: string; locale: Locale }) {
  const [at, setAt] = useState(renderedAt);
  useEffect(() => {
    const onPrint = () => flushSync(() => setAt(new Date().toISOString()));
    window.addEventListener("beforeprint", onPrint);
    return () => window.removeEventListener("beforeprint", onPrint);
  }, []);
  const e = messages[locale].emergency;
  const when = (v: string) => (locale === "ja" ? `${isoDateTime(v)}（${warekiDate(v)}）` : isoDateTime(v));
  return (
    <footer className="hidden border-t border-slate-500 pt-1 text-[7.5pt] leading-snug text-slate-900 print:block" data-testid="print-footer">
      <p>
        {e.printedAt}: {when(at)} · {e.printedBy}: {userName} · {e.printedFacility}: {facilityName} · {e.grantExpires}: {when(grantExpiresAt)}
      </p>
      <p>{e.printNote}</p>
    </footer>
  );
}
