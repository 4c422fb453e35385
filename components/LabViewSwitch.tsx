import Link from "next/link";
import type { Messages } from "@/lib/i18n/messages";

/** The two ways to read lab results: one test over time (the chart), or every test by day (the table). */
export function LabViewSwitch({ patientId, active, t }: { patientId: string; active: "trend" | "table"; t: Messages }) {
  const base = `/patients/${encodeURIComponent(patientId)}/labs`;
  const views = [
    { id: "trend", href: base },
    { id: "table", href: `${base}/table` },
  ] as const;
  return (
    <nav aria-label={t.labs.viewsLabel} className="mt-2 flex gap-2 text-sm">
      {views.map((v) => (
        <Link
          key={v.id}
          href={v.href}
          aria-current={active === v.id ? "page" : undefined}
          className={`rounded border px-3 py-1 font-semibold ${active === v.id ? "border-slate-700 bg-slate-800 text-white" : "border-blue-700 text-blue-800 hover:bg-blue-50"}`}
        >
          {t.labs.views[v.id]}
        </Link>
      ))}
    </nav>
  );
}
