/**
 * Text for a LIKE pattern taken literally: its % and _ are not wildcards, in raw SQL and in Prisma's
 * contains / startsWith alike (Prisma passes them through: a search for 「%」 listed every row).
 */
export const likeLiteral = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
