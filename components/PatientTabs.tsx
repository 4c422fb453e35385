import Link from "next/link";
import type { Messages } from "@/lib/i18n/messages";
import type { RecordKind } from "@/lib/format/record-kinds";

export type PatientTab = "overview" | "labs" | "medications" | "consent";

/** The patient's pages; which ones appear depends on what the actor may see. */
export function PatientTabs({ patientId, active, kinds, t }: { patientId: string; active: PatientTab | null; kinds: readonly RecordKind[]; t: Messages }) {
  const base = `/patients/${encodeURIComponent(patientId)}`;
  const tabs: { id: PatientTab; href: string; show: boolean }[] = [
    { id: "overview", href: base, show: true },
    { id: "labs", href: `${base}/labs`, show: kinds.includes("lab") || kinds.includes("checkup") },
    { id: "medications", href: `${base}/medications`, show: kinds.includes("prescription") },
    { id: "consent", href: `${base}/consent`, show: true },
  ];
  return (
    // On a narrow screen the tabs scroll sideways rather than widen the page; a tab's label never breaks.
    <nav aria-label={t.tabs.label} className="no-print flex gap-1 overflow-x-auto border-b border-slate-300">
      {tabs
        .filter((x) => x.show)
        .map((x) => (
          <Link
            key={x.id}
            href={x.href}
            aria-current={active === x.id ? "page" : undefined}
            className={`focus-ring-inset shrink-0 whitespace-nowrap rounded-t px-4 py-2 font-medium ${active === x.id ? "border border-b-0 border-slate-300 bg-white text-slate-950" : "text-blue-800 hover:bg-blue-50"}`}
          >
            {t.tabs[x.id]}
          </Link>
        ))}
    </nav>
  );
}
