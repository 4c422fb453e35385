"use client";

import { useEffect, useLayoutEffect, useRef, useState, useTransition } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { recordClosedUrl } from "./RecordScreenGuard";

/**
 * Next's router keeps the pages it has drawn in this document and gives them back on Back, without
 * asking the server. So when the login page or a refusal is reached by a click inside the app (the
 * session ended on another device, the consent was withdrawn meanwhile), Back would show the record
 * again as it was. The login page, reached that way, loads itself afresh; pages that show a record
 * note it here, and a refusal of that record leaves this document by a full page load. Either way the
 * router's memory goes with the document. `shown` is module state: it lives exactly as long as the
 * document whose router holds the pages.
 */
const shown = new Set<string>();

/**
 * Refusals that say the access a drawn record had is gone: the consent, the login, the account or
 * the facility's part in the network, or a break-glass grant. A standing limit (a pharmacist and the
 * documents tab, an access report that needs the card) refuses one page of a record still open to
 * the user, and shows its own screen with the way on.
 */
const ACCESS_GONE = new Set(["NO_CONSENT", "CONSENT_WITHDRAWN", "CONSENT_EXPIRED", "USER_INACTIVE", "CREDENTIAL_UNVERIFIED", "FACILITY_SUSPENDED", "FACILITY_NOT_VIEWER", "NO_ACTIVE_GRANT", "LOGIN_INCOMPLETE"]);

/** Marks a record (a patient's pages, or one emergency dataset) as drawn in this document. */
export function RecordOnScreen({ record }: { record: string }) {
  useEffect(() => {
    shown.add(record);
  }, [record]);
  return null;
}

/**
 * Whether this page was reached by a move inside the app (the router), not loaded as a document:
 * the document's own address, as the browser loaded it (after any redirect), is another page's.
 */
function reachedInsideTheApp(): boolean {
  const [loaded] = performance.getEntriesByType("navigation");
  return loaded !== undefined && new URL(loaded.name).pathname !== window.location.pathname;
}

/**
 * On a refusal of `record`, if it was drawn here: the access it had has ended, so leave for
 * /record-closed with the reason, as a refused fetch does (not a reload: that would ask, and audit,
 * the refused read twice).
 */
export function LeaveStaleRecord({ record, status = 403, reason = null }: { record: string; status?: number; reason?: string | null }) {
  useEffect(() => {
    if (shown.has(record) && ACCESS_GONE.has(reason ?? "")) window.location.replace(recordClosedUrl({ by: "refused", status, reason }));
  }, [record, status, reason]);
  return null;
}

/**
 * On the login page: if it was reached by a move inside the app, whatever the pages before it held
 * (a record, search results, the audit), load it again, afresh. It reads nothing and audits nothing.
 */
export function ReloadIfReachedInsideApp() {
  useEffect(() => {
    if (reachedInsideTheApp()) window.location.replace(window.location.href);
  }, []);
  return null;
}

/** A page that draws a patient's record or emergency dataset. */
const RECORD_PAGE = /^\/(patients|emergency)\/[^/]+/;

/** A page's path and query, the query as URLSearchParams writes it (the router's and the address's alike). */
const addressOf = (path: string, query: string) => (query ? `${path}?${query}` : path);
const addressHere = () => addressOf(window.location.pathname, new URLSearchParams(window.location.search).toString());

/** The event a component sends after it replaced the page's address in place (history.replaceState). */
export const ADDRESS_REPLACED = "tsunagu:address-replaced";

/** Whether the router fetched `path` from the server since `since` (performance.now time): a page drawn from its answer. */
function fetchedSince(path: string, since: number): boolean {
  return performance
    .getEntriesByType("resource")
    .some((e) => (e as PerformanceResourceTiming).initiatorType === "fetch" && e.startTime >= since && new URL(e.name, window.location.href).pathname === path);
}

/** Set on the document while a record's page is hidden for its recheck (globals.css): nothing of it is seen until the server answers. */
const HIDDEN_FOR_RECHECK = "data-rechecking";

/**
 * Back and Forward to a record's page: Next's router may draw it from its memory, as it was, even
 * when the access has ended or narrowed since (a grant ended, a consent withdrawn or limited to the
 * emergency dataset, the session ended elsewhere) and however the user left it. So such a move is
 * checked with the server before the record is seen: the page is hidden as the move starts; once
 * the router has drawn the page moved to, if it fetched that page for it (the server read, decided
 * and audited it, as any view), that is the answer; if it drew it from memory, it is asked for again
 * (router.refresh). A refusal or the login page then takes the record away (LeaveStaleRecord).
 * Mounted once, in the app's layout; moves to other pages (the search, whose re-run would be audited)
 * are left alone.
 *
 * The refresh waits for the router's own handling of the move: asked for at the move (this listener
 * runs before the router's), it refreshed the page being left, and a document the clinician left was
 * read and audited again on every Back (review 14).
 *
 * Meanwhile the browser restores the page's scroll position at once, onto the page being left, whose
 * height cuts it short (review 13: Back from 検査推移 to a timeline read 100 rows down landed at its
 * top). So the position each page was left at is kept here and given back once the answer is drawn;
 * a status line says what is happening.
 */
export function RecheckRecordOnHistory({ checking }: { checking: string }) {
  const router = useRouter();
  const [asking, startAsking] = useTransition();
  const [hidden, setHidden] = useState(false);
  // where each page (by address) was scrolled to when last drawn
  const positions = useRef(new Map<string, number>());
  // the move being checked: the page moved to, when, and where it was left scrolled
  const move = useRef<{ address: string; since: number; y: number | null } | null>(null);
  // where the page goes back to once its answer is drawn
  const restoreTo = useRef<number | null>(null);
  // The address of the page drawn now: path and query as the router drew them. An in-page link (a
  // warning's #drug-…, the skip link's #main) fires popstate too, without leaving the page: refreshing
  // on it read and audited the whole record again, and the refreshed router state took the fragment
  // off the address. Taken from the router's own values in a layout effect, within the commit that
  // changes the address, not from window.location in a later effect: a Back pressed right after a
  // move (the end of a break-glass grant) found the address of the page before it, and was let by.
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const drawn = useRef<string | null>(null);
  // The router's history entry of the page drawn (its state, which Next's own writes in the same commit, before layout effects).
  const entry = useRef<unknown>(null);
  const noteEntry = () => {
    if ((window.history.state as { __NA?: unknown } | null)?.__NA) entry.current = window.history.state;
  };
  const reveal = () => {
    document.documentElement.removeAttribute(HIDDEN_FOR_RECHECK);
    setHidden(false);
  };
  useLayoutEffect(() => {
    const address = addressOf(pathname, search);
    drawn.current = address;
    noteEntry();
    const m = move.current;
    if (!m || m.address !== address) return;
    // the router has drawn the page moved to
    move.current = null;
    restoreTo.current = m.y;
    // hidden stays set by the transition's pending state until the refreshed page is drawn
    setHidden(false);
    if (!fetchedSince(pathname, m.since)) startAsking(() => router.refresh());
  }, [pathname, search, router]);
  useEffect(() => {
    // A timeline filter replaces the query in place, past the router (RecordExplorer): the page drawn
    // is then the filtered one (review 11: the skip link's #main after a filter was taken for another
    // page, and the record was read and audited again, without its filter).
    const replaced = () => {
      drawn.current = addressHere();
      noteEntry();
    };
    window.addEventListener(ADDRESS_REPLACED, replaced);
    return () => window.removeEventListener(ADDRESS_REPLACED, replaced);
  }, []);
  useEffect(() => {
    const moved = (e: PopStateEvent) => {
      const here = addressHere();
      if (here === drawn.current) {
        // The same page, another fragment: nothing to ask again. But the browser made that fragment's
        // history entry without the router's state, and Next's router draws nothing on a Back to such
        // an entry: Back from the next page (a document, a tab) then changed the address and left
        // that page on screen, and the refresh below brought its address back (review 12). The entry
        // gets the page's own router state, so Back to it draws this page.
        if (e.state === null && entry.current) window.history.replaceState(entry.current, "", window.location.href);
        return;
      }
      if (!RECORD_PAGE.test(window.location.pathname)) {
        move.current = null;
        reveal();
        return;
      }
      // An entry the router did not write (the browser's, for a fragment) is one it will not draw:
      // the page is loaded afresh instead, and the server decides as for any load.
      if (!(e.state as { __NA?: unknown } | null)?.__NA) {
        window.location.reload();
        return;
      }
      // hidden now, in this task, before the router can draw anything from its memory
      document.documentElement.setAttribute(HIDDEN_FOR_RECHECK, "");
      setHidden(true);
      // read before the browser's own restoring, cut short on the page being left, is noted under this address
      move.current = { address: here, since: performance.now(), y: positions.current.get(here) ?? null };
    };
    window.addEventListener("popstate", moved);
    return () => window.removeEventListener("popstate", moved);
  }, []);
  useEffect(() => {
    const note = () => {
      if (drawn.current !== null && !document.documentElement.hasAttribute(HIDDEN_FOR_RECHECK)) positions.current.set(drawn.current, window.scrollY);
    };
    window.addEventListener("scroll", note, { passive: true });
    return () => window.removeEventListener("scroll", note);
  }, []);
  useEffect(() => {
    // the answer is drawn: the page is shown again, where it was left
    if (asking || hidden || move.current) return;
    document.documentElement.removeAttribute(HIDDEN_FOR_RECHECK);
    const y = restoreTo.current;
    restoreTo.current = null;
    if (!y) return;
    // The timeline's loaded rows come from the browser's cache in the same commit; after its minute
    // they come back a page at a time as the list reaches its end. Follow the page as it grows, for
    // a few seconds; a user who scrolls meanwhile is left alone.
    const until = performance.now() + 8000;
    let frame = 0;
    let placed = window.scrollY;
    const place = () => {
      if (window.scrollY !== placed) return;
      window.scrollTo(0, y);
      placed = window.scrollY;
      if (placed < y && performance.now() < until) frame = requestAnimationFrame(place);
    };
    place();
    return () => cancelAnimationFrame(frame);
  }, [asking, hidden]);
  // always in the page, so that a screen reader hears the text when it comes (a live region, not a
  // second role=status beside the page's own messages)
  return (
    <p aria-live="polite" aria-atomic="true" className={asking || hidden ? "no-print fixed inset-x-0 bottom-0 z-50 bg-sky-800 px-4 py-2 text-center text-sm text-white" : "sr-only"} data-testid="record-rechecking">
      {asking || hidden ? checking : ""}
    </p>
  );
}
