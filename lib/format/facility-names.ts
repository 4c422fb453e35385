/**
 * The part of the facility directory that some data names: every string in it that is a facility's
 * id. A page that hands data to a client component sends these names with it, not the whole network's
 * directory (150–400 facilities, most of a page's weight), and no path through the data — a
 * prescriber, a pharmacy, whoever marked a warning as handled — can be missed by a list kept by hand.
 */
export function facilityNamesIn(data: unknown, directory: Readonly<Record<string, string>>): Record<string, string> {
  const named: Record<string, string> = {};
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      if (Object.hasOwn(directory, v)) named[v] = directory[v]!;
    } else if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v && typeof v === "object") for (const x of Object.values(v)) walk(x);
  };
  walk(data);
  return named;
}
