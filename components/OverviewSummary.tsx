"use client";

import type { IntegratedSummary } from "@/lib/record";
import type { MedLine } from "@/lib/record/medication";
import type { RecordKind } from "@/lib/format/record-kinds";
import { messages, type Locale } from "@/lib/i18n/messages";
import { CurrentMedications, LatestCheckup, ProblemList, RecentTestsElsewhere } from "./SummaryPanels";

/** What the first screen's summary panels read: the summary without the map and source notes (the explorer's). */
export type OverviewData = Pick<IntegratedSummary, "recentElsewhere" | "asNeeded" | "duplicates" | "conflicts" | "checks" | "problems" | "latestCheckup"> & { medications: MedLine[] };

/**
 * The 統合ビュー's summary panels — tests done elsewhere, current medicines, problems, the latest
 * checkup — drawn from their data. A client component for the page's weight, not for interaction: a
 * server component's output travels twice, as HTML and again as its element tree (every class list
 * included) in the page's flight data, where these panels' data is a third of that size (issue 17).
 */
export function OverviewSummary({ data, facilities, kinds, patientId, partial, locale }: { data: OverviewData; facilities: Record<string, string>; kinds: readonly RecordKind[]; patientId: string; partial: boolean; locale: Locale }) {
  const t = messages[locale];
  return (
    <>
      <RecentTestsElsewhere tests={data.recentElsewhere} facilities={facilities} t={t} patientId={patientId} />
      <div className="grid gap-4 lg:grid-cols-2">
        {/* current medicines first, in the page's order and not only visually: on a phone, where the
            panels stack, they come right after the safety banner and before a long problem list */}
        {kinds.includes("prescription") && <CurrentMedications summary={data} facilities={facilities} t={t} patientId={patientId} partial={partial} locale={locale} />}
        {kinds.includes("condition") && <ProblemList problems={data.problems} facilities={facilities} t={t} />}
        {kinds.includes("checkup") && <LatestCheckup checkup={data.latestCheckup} facilities={facilities} t={t} locale={locale} />}
      </div>
    </>
  );
}
