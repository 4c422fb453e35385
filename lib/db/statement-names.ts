/**
 * Names for PostgreSQL prepared statements, one per distinct SQL text. node-postgres prepares a named
 * statement once per connection and afterwards only binds and executes it, so PostgreSQL parses and
 * plans each of a page's ~20 statements once per connection instead of on every view — a fifth to a
 * third of the database's CPU per 統合ビュー (issue 17). Every value travels as a parameter (Prisma's
 * queries and Prisma.sql alike; identifiers only are spliced in), so the texts name no patient.
 *
 * Bounded: each name stays prepared on every connection of the pool for the connection's life, and a
 * text differs for each length of an `IN (…)` list, so past `max` texts a statement is sent unnamed,
 * as before (parsed and planned each time; the answer is the same).
 */
export function statementNamer(max = 500): (sql: string) => string | undefined {
  const names = new Map<string, string>();
  return (sql) => {
    let name = names.get(sql);
    if (name === undefined && names.size < max) names.set(sql, (name = `tsunagu_${names.size}`));
    return name;
  };
}
