import { Prisma } from "../db/generated/client";
import type { Sensitivity } from "../access/decide";

/**
 * The withheld-category rule in raw SQL (the Prisma twin is banner.ts notWithheld): rows whose
 * `column` (a sensitivity) the patient withholds from this facility never leave the database.
 */
export const notHidden = (column: Prisma.Sql, withheld: readonly Sensitivity[]): Prisma.Sql => Prisma.sql`NOT (${column}::text = ANY(${[...withheld]}::text[]))`;
