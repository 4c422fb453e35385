import { Prisma } from "../db/generated/client";
import type { Withheld } from "../access/decide";

/**
 * The withholding rule in raw SQL (the Prisma twin is banner.ts notWithheld): rows of a category the
 * patient withholds from this facility, or of a facility whose records the network withholds, never
 * leave the database. `alias` is the record table's alias in the statement ("" for none).
 */
export function notHidden(alias: string, withheld: Withheld): Prisma.Sql {
  const col = (c: string) => Prisma.raw(alias ? `${alias}."${c}"` : `"${c}"`);
  const category = Prisma.sql`NOT (${col("sensitivity")}::text = ANY(${[...withheld.categories]}::text[]))`;
  return withheld.facilities.length ? Prisma.sql`${category} AND NOT (${col("facilityId")} = ANY(${[...withheld.facilities]}::text[]))` : category;
}
