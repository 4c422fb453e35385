import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// DESIGN.md's layering, enforced: one way in to patient data (app → lib/record → lib/access →
// lib/audit), UI without data access, and pure decisions. A type import crosses freely: it is erased.
const restrict = (patterns) => ({
  "@typescript-eslint/no-restricted-imports": ["error", { patterns: patterns.map(([group, message]) => ({ group, message, allowTypeImports: true })) }],
});
const below = (mod) => [`@/lib/${mod}`, `@/lib/${mod}/*`, `**/lib/${mod}`, `**/lib/${mod}/*`];

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  { ignores: [".next/**", "node_modules/**", "lib/db/generated/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  {
    // app/ reaches patient data only through lib/record (and writes records only through lib/ingest);
    // it may use lib/auth, lib/network, lib/i18n, lib/format, and the clock and configuration.
    files: ["app/**/*.{ts,tsx}"],
    rules: restrict([
      [below("db"), "app/ never queries the database: call lib/record (DESIGN.md)."],
      [below("audit"), "app/ never writes the audit trail itself: lib/record and lib/auth audit what they do."],
      [below("access"), "app/ does not decide access: lib/record asks lib/access; for what to offer, use lib/auth (isClinical, canBreakGlass)."],
      [below("interop"), "app/ prints codes through lib/format."],
    ]),
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: restrict([
      [[...below("db"), ...below("audit"), ...below("record"), ...below("auth"), ...below("ingest")], "components/ are UI only: they get data as props from app/ (type imports are fine)."],
    ]),
  },
  {
    // lib/access is pure: facts in, decision out, so it is tested as a full matrix without a database.
    files: ["lib/access/**/*.ts"],
    rules: restrict([
      [["../db", "../db/*", "../record", "../record/*", "../audit", "../audit/*", "../auth", "../auth/*", "../ingest", "../ingest/*", "@prisma/*", "pg", "@electric-sql/*", "next", "next/*"], "lib/access imports no database, no I/O: it decides on facts it is given."],
    ]),
  },
];
export default config;
