"use client";

import { useEffect, useState } from "react";
import { messages, type Locale } from "@/lib/i18n/messages";

/**
 * The red bar's remaining time. It counts from the server's own "remaining" at render (the server's
 * clock is the one that decides), so a wrong clock on this device does not matter.
 */
export function GrantCountdown({ remainingMs, locale }: { remainingMs: number; locale: Locale }) {
  const [left, setLeft] = useState(remainingMs);
  useEffect(() => {
    const start = Date.now();
    const timer = setInterval(() => setLeft(remainingMs - (Date.now() - start)), 30_000);
    return () => clearInterval(timer);
  }, [remainingMs]);
  const t = messages[locale].emergency;
  if (left <= 0) return <span>{t.expired}</span>;
  const minutes = Math.ceil(left / 60_000);
  return <span data-testid="remaining">{t.remaining(Math.floor(minutes / 60), minutes % 60)}</span>;
}
