/** A complete, valid production configuration: each test removes or breaks the one setting it is about. */
export const PRODUCTION = {
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "a-long-enough-secret-value",
  NEXTAUTH_URL: "https://tsunagu.example.jp",
  DATABASE_URL: "postgresql://u:p@db:5432/tsunagu",
  TSUNAGU_AUDIT_KEY: "an-audit-key-of-at-least-32-characters",
} as const;
