"use client";

import Link from "next/link";
import { CodeLabel } from "./CodeLabel";
import { UninformedMark } from "./UninformedMark";
import { useEffect, useRef, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { messages, type Locale } from "@/lib/i18n/messages";
import { isoDate, preciseDate } from "@/lib/format/dates";
import { renderParts } from "@/lib/format/detail-parts";
import { kindStyle } from "@/lib/format/record-kinds";
import type { TimelineEntry, TimelinePage } from "@/lib/record";
import { useHydrated } from "./use-hydrated";
import { RefusedError, throwIfRefused } from "./refused-fetch";
import { useEndOnRefusal } from "./RecordScreenGuard";

/** The timeline's filters, in the order the address and the chips list them. */
export const FILTER_KEYS = ["kinds", "facility", "from", "to", "q"] as const;

export interface TimelineFilterValues {
  kinds?: string;
  facility?: string;
  from?: string;
  to?: string;
  q?: string;
}

export const isUnfiltered = (f: TimelineFilterValues) => !Object.values(f).some(Boolean);

/** A 400 from the timeline route: which filter was wrong, so the message can say which. */
class InvalidFilterError extends Error {
  constructor(readonly field: string) {
    super("INVALID_INPUT");
  }
}

/** A page from the server; a 400 (bad filter) and a refusal surface as their own errors so the UI can say why. */
async function fetchPage(patientId: string, cursor: string, filters: TimelineFilterValues): Promise<TimelinePage> {
  const params = new URLSearchParams({ ...Object.fromEntries(Object.entries(filters).filter(([, v]) => v)), ...(cursor ? { cursor } : {}) });
  const res = await fetch(`/api/patients/${encodeURIComponent(patientId)}/timeline?${params}`, { cache: "no-store" });
  if (res.status === 400) throw new InvalidFilterError(((await res.json().catch(() => ({}))) as { field?: string }).field ?? "");
  await throwIfRefused(res);
  if (!res.ok) throw new Error(String(res.status));
  return res.json();
}

/** Only a failure that may pass (a 5xx, the network) is tried again: a bad filter or a refusal stays what it is. */
const retryable = (count: number, e: unknown) => count < 2 && !(e instanceof InvalidFilterError) && !(e instanceof RefusedError);

/** One row of the timeline (exported for its test: the list draws its rows only in the browser). */
export function Row({ e, systems, patientId, facilities, locale }: { e: TimelineEntry; systems: string[]; patientId: string; facilities: Record<string, string>; locale: Locale }) {
  const t = messages[locale];
  const tag = e.tag ? (t.patient.tag[e.tag] ?? e.tag) : null;
  // The expanded part is drawn once the row is opened: the first screen's HTML carries 25 summary
  // lines, not 25 hidden detail lists (the data is in the page's props either way).
  const [open, setOpen] = useState(false);
  return (
    <li className="border-b border-slate-200 last:border-b-0">
      <details className="group px-3 py-2" onToggle={(ev) => setOpen(ev.currentTarget.open)}>
        {/* list-none (in .tl-summary) drops the browser's disclosure triangle (and the -webkit- marker Safari keeps), so the row draws its own */}
        <summary className="tl-summary">
          <span aria-hidden="true" className="row-marker" />
          <time dateTime={e.occurredAt} className="tl-date">
            {e.datePrecision ? preciseDate(e.occurredAt, e.datePrecision, t.summary.onsetUnknown) : isoDate(e.occurredAt)}
          </time>
          <span className={`tl-kind ${kindStyle(e.kind)}`}>{t.patient.kind[e.kind]}</span>
          {tag && <span className="tl-tag">{tag}</span>}
          {e.uninformed && <UninformedMark t={t} />}
          <span className="tl-text">{(e.summaryParts ? renderParts(e.summaryParts, t) : e.summary) || t.dash}</span>
          {e.kind === "encounter" && e.endedAt && <span className="text-sm text-slate-800">{t.patient.stayEnded(e.tag === "INPATIENT", isoDate(e.endedAt))}</span>}
          {/* an undated record sits at its document's date: the row says which, or its place in the list would read as an onset (review 9, L5) */}
          {e.datePrecision === "NONE" && <span className="text-xs text-slate-700">{t.summary.undatedAt(isoDate(e.occurredAt))}</span>}
          <span className="text-sm text-slate-700" data-testid="row-facility">
            {facilities[e.facilityId] ?? e.facilityId}
          </span>
          {/* the dispense that fills this prescription, as its second line rather than a row of its own */}
          {e.dispenses?.map((d) => (
            <span key={d.id} className="basis-full pl-7 text-sm text-slate-800 sm:pl-52" data-testid="paired-dispense">
              ↳ {t.patient.dispensedBy(facilities[d.facilityId] ?? d.facilityId, isoDate(d.occurredAt))}
            </span>
          ))}
        </summary>
        {open && (
          <div className="mt-2 ml-0 space-y-2 text-sm wrap-anywhere sm:ml-34">
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
              {e.detail.map(([label, value], i) => (
                <div key={i} className="contents">
                  <dt className="text-slate-700">{t.patient.detail[label] ?? label}</dt>
                  <dd>{renderParts(value, t) ?? t.dash}</dd>
                </div>
              ))}
            </dl>
            {e.kind === "document" && (
              <Link href={`/patients/${encodeURIComponent(patientId)}/documents/${encodeURIComponent(e.id)}`} className="inline-block font-semibold text-blue-800 underline">
                {t.doc.open}
              </Link>
            )}
            {e.codes.length > 0 && (
              <p className="text-xs text-slate-700">
                {t.patient.codes}:{" "}
                {e.codes.map(([system, code], i) => (
                  <span key={i}>
                    {i > 0 && ", "}
                    <CodeLabel system={systems[system] ?? ""} code={code} />
                  </span>
                ))}
              </p>
            )}
          </div>
        )}
      </details>
    </li>
  );
}

/** The cross-facility timeline; the first page comes from the server, further pages on demand. */
export function Timeline({
  patientId,
  initial,
  facilities,
  locale,
  filters = {},
  focusRequest = 0,
}: {
  patientId: string;
  initial: TimelinePage;
  facilities: Record<string, string>;
  locale: Locale;
  filters?: TimelineFilterValues;
  /** a new number asks for the timeline to be scrolled to and focused once the current filters' first page is in */
  focusRequest?: number;
}) {
  const t = messages[locale];
  const hydrated = useHydrated();
  const unfiltered = isUnfiltered(filters);
  const q = useInfiniteQuery({
    queryKey: ["timeline", patientId, filters],
    // The unfiltered first page came with the server render; everything else is fetched.
    queryFn: ({ pageParam }) => (!pageParam && unfiltered ? Promise.resolve(initial) : fetchPage(patientId, pageParam, filters)),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    initialData: unfiltered ? { pages: [initial], pageParams: [""] } : undefined,
    retry: retryable,
  });
  // a refusal blanks the whole record (RecordScreenGuard); outside a guard the list says why itself
  const guarded = useEndOnRefusal(q.error);
  // each page names its code systems once (TimelinePage.systems): a row keeps its page's table
  const entries = q.data?.pages.flatMap((p) => p.entries.map((e) => ({ e, systems: p.systems }))) ?? [];

  // Load the next page as the end of the list scrolls into view; the button stays for keyboards.
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isFetchNextPageError } = q;
  useEffect(() => {
    const el = sentinel.current;
    // after a failed page, only the button asks again: scrolling must not turn into a stream of requests
    if (!el || !hasNextPage || isFetchNextPageError) return;
    const io = new IntersectionObserver((seen) => {
      // cancelRefetch false: a page already on its way is the answer, not a reason to ask again (the
      // button and the list's end can both ask within one render, and each refused ask is audited)
      if (seen.some((x) => x.isIntersecting) && !isFetchingNextPage) void fetchNextPage({ cancelRefetch: false });
    }, { rootMargin: "400px" });
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage, isFetchNextPageError]);

  // さらに表示 from the keyboard: once the rows are in, the focus goes to the first new one (the
  // WAI-ARIA "load more" pattern), not back to the page's top when the button goes away.
  const list = useRef<HTMLOListElement>(null);
  const focusFrom = useRef<number | null>(null);
  useEffect(() => {
    if (focusFrom.current === null || isFetchingNextPage || entries.length <= focusFrom.current) return;
    list.current?.querySelectorAll<HTMLElement>(":scope > li > details > summary")[focusFrom.current]?.focus();
    focusFrom.current = null;
  }, [entries.length, isFetchingNextPage]);

  // A jump from the record map changes the filters, and the list is empty until their first page
  // arrives: scrolling at the click would scroll to a page about to grow. Wait for the rows (or the
  // error), then bring the heading to the top and put the focus on it, for keyboard and screen-reader
  // users too.
  const heading = useRef<HTMLHeadingElement>(null);
  const handledFocus = useRef(focusRequest);
  const { isPending } = q;
  useEffect(() => {
    if (focusRequest === handledFocus.current || isPending) return;
    handledFocus.current = focusRequest;
    heading.current?.scrollIntoView({ block: "start" });
    heading.current?.focus({ preventScroll: true });
  }, [focusRequest, isPending]);

  return (
    <section aria-labelledby="timeline-heading" className="rounded-lg border border-slate-300 bg-white">
      <h2 id="timeline-heading" ref={heading} tabIndex={-1} className="scroll-mt-2 border-b border-slate-300 px-3 py-2 text-lg font-semibold">
        {t.patient.timeline}
      </h2>
      {!hydrated ? (
        // the rows are drawn in the browser from the page's props (see useHydrated); a box of about their height until then
        <div aria-busy="true" className="animate-pulse bg-slate-50 px-3 py-2 text-sm text-slate-700" style={{ height: `${Math.min(entries.length, 25) * 2.6}rem` }} data-testid="timeline-pending">
          {t.explorer.loading}
        </div>
      ) : q.isSuccess && entries.length === 0 ? (
        <p className="px-3 py-4">{t.patient.noRecords}</p>
      ) : (
        <ol ref={list} aria-label={t.patient.timeline} data-testid="timeline">
          {entries.map(({ e, systems }) => (
            <Row key={`${e.kind}:${e.id}`} e={e} systems={systems} patientId={patientId} facilities={facilities} locale={locale} />
          ))}
        </ol>
      )}
      {q.hasNextPage && (
        // printed, the list ends where the loaded rows end: say so, so the sheet is not read as the whole record
        <p className="hidden border-t border-slate-200 px-3 py-2 text-sm print:block" data-testid="timeline-cut">
          {t.recordScreen.printCut(entries.length)}
        </p>
      )}
      {q.hasNextPage && (
        <div ref={sentinel} className="border-t border-slate-200 p-3 text-center">
          {/* aria-disabled, not disabled: a disabled button drops the keyboard focus to the page's top */}
          <button
            type="button"
            onClick={() => {
              // the first new row gets the focus once the page is in, whether this press asked for it or
              // the list's end already had (pressed during that load, it was ignored and the focus stayed put)
              focusFrom.current = entries.length;
              if (!q.isFetchingNextPage) void q.fetchNextPage({ cancelRefetch: false });
            }}
            aria-disabled={q.isFetchingNextPage}
            className="no-print rounded border border-blue-700 px-4 py-1.5 font-medium text-blue-800 hover:bg-blue-50 aria-disabled:opacity-60"
          >
            {t.patient.more}
          </button>
        </div>
      )}
      {q.isPending && <p className="px-3 py-4 text-slate-700" aria-live="polite">…</p>}
      {q.isError && !(guarded && q.error instanceof RefusedError) && (
        <p role="alert" className="px-3 py-2 text-red-800">
          {q.error instanceof InvalidFilterError
            ? (t.filters.invalidField[q.error.field] ?? t.filters.invalid)
            : q.error instanceof RefusedError
              ? `${q.error.status === 401 ? t.explorer.sessionEnded : t.explorer.noLongerAllowed} ${(q.error.reason && t.denied.reasons[q.error.reason]) || ""}`.trim()
              : t.error.title}
        </p>
      )}
    </section>
  );
}
