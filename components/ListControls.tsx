import Link from "next/link";

/** The URL of a list with these filters on another page (empty filters left out), so a search can be bookmarked. */
export function listPageHref(base: string, query: Record<string, unknown>, page: number): string {
  const params = new URLSearchParams(Object.entries({ ...query, page: String(page) }).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
  return `${base}?${params}`;
}

/** A filter form's search button and its link back to the unfiltered list. */
export function SearchSubmit({ base, search, clear, className }: { base: string; search: string; clear: string; className: string }) {
  return (
    <div className={`flex items-end gap-3 ${className}`}>
      <button type="submit" className="rounded bg-blue-700 px-4 py-1.5 font-semibold text-white hover:bg-blue-800">
        {search}
      </button>
      <Link href={base} className="text-sm text-blue-800 underline">
        {clear}
      </Link>
    </div>
  );
}

/** Previous and next page of a paged list, keeping its filters; nothing for a list of one page. */
export function PageLinks({ base, query, page, pageCount, label, prev, next }: { base: string; query: Record<string, unknown>; page: number; pageCount: number; label: string; prev: string; next: string }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label={label} className="flex gap-4">
      {page > 1 && (
        <Link href={listPageHref(base, query, page - 1)} rel="prev" className="text-blue-800 underline">
          {prev}
        </Link>
      )}
      {page < pageCount && (
        <Link href={listPageHref(base, query, page + 1)} rel="next" className="text-blue-800 underline">
          {next}
        </Link>
      )}
    </nav>
  );
}
