"use client";

import { useEffect, useState, type ReactNode } from "react";
import { Notice } from "./Notice";

/**
 * "Done" for what the user did last (from the address, e.g. ?done=withdrawn), until they submit
 * something else on the page: a form that comes back refused must not sit under the success of the
 * step before it. (The page gives it a new key on every render, so a new outcome is shown afresh.)
 */
export function DoneNotice({ children }: { children: ReactNode }) {
  const [superseded, setSuperseded] = useState(false);
  useEffect(() => {
    const next = () => {
      setSuperseded(true);
      // and out of the address: the page drawn again for that form's answer must not bring it back
      const url = new URL(window.location.href);
      url.searchParams.delete("done");
      window.history.replaceState(window.history.state, "", url);
    };
    document.addEventListener("submit", next, true);
    return () => document.removeEventListener("submit", next, true);
  }, []);
  return superseded ? null : <Notice tone="done">{children}</Notice>;
}
