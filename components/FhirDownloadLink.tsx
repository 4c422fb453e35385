"use client";

import { useState } from "react";
import { messages, type Locale } from "@/lib/i18n/messages";
import { RefusedError, throwIfRefused } from "./refused-fetch";
import { useEndOnRefusal } from "./RecordScreenGuard";

/**
 * 「FHIR で保存」: the record as one FHIR Bundle, downloaded. A plain download link saved whatever
 * came back, so a refusal (the consent withdrawn, the session ended since the page was drawn) became
 * a JSON file or page of an error. Fetched here instead: a refusal takes the record off the screen as
 * any refused fetch does (RecordScreenGuard); a Bundle is saved under the name the route gives it.
 * The route decides and audits the export, once, whichever way it is asked.
 */
export function FhirDownloadLink({ href, locale }: { href: string; locale: Locale }) {
  const t = messages[locale];
  const [refused, setRefused] = useState<RefusedError | null>(null);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(false);
  useEndOnRefusal(refused);
  const save = async () => {
    setBusy(true);
    setFailed(false);
    try {
      const res = await fetch(href, { cache: "no-store" });
      await throwIfRefused(res);
      if (!res.ok) throw new Error(String(res.status));
      const name = /filename="?([^";]+)"?/.exec(res.headers.get("Content-Disposition") ?? "")?.[1] ?? "bundle.json";
      const url = URL.createObjectURL(await res.blob());
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      if (e instanceof RefusedError) setRefused(e);
      else setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <a
        href={href}
        download
        title={t.fhirExport.hint}
        aria-disabled={busy}
        onClick={(e) => {
          e.preventDefault();
          if (!busy) void save();
        }}
        className="text-sm text-sky-800 underline hover:text-sky-950"
      >
        {t.fhirExport.save}
      </a>
      {failed && (
        <span role="alert" className="ml-2 text-sm text-red-800">
          {t.error.title}
        </span>
      )}
    </>
  );
}
