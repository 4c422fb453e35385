/**
 * A stable name for one medication warning: its rule (or type) and the products it is about, sorted.
 * An acknowledgement is kept under this name, so it follows the same warning from view to view, and a
 * warning about a changed combination (a new product, another drug) is a new name, not yet checked.
 */
export const warningKey = (kind: string, ...products: readonly string[]) => `${kind}:${[...new Set(products)].sort().join(",")}`;

/** What a key may look like when it comes back from a form: the characters the keys above use. */
export const WARNING_KEY_PATTERN = /^[A-Za-z0-9_:|,.\-]{1,400}$/;

/** The names of the pure warnings of lib/record/medication.ts (shapes only, so the UI can name them too). */
export const duplicateKey = (d: { type: string; key: string; drugs: readonly { key: string }[] }) => warningKey(`dup|${d.type}|${d.key}`, ...d.drugs.map((x) => x.key));
export const conflictKey = (c: { kind: string; drug: { key: string } }) => warningKey(`alg|${c.kind}`, c.drug.key);
