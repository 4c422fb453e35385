// npm run db:demo-accounts [-- --deactivate]
// Lists the accounts that can still be logged in to with the demo credentials the README publishes (the
// ones a production start refuses to serve with), and with --deactivate deactivates them and ends their
// sessions. For an operator whose production database was once seeded: the server will not start to let
// them do it in 利用者管理, and the rows cannot be deleted (the audit trail refers to them).
import { closeDb, getDb } from "../lib/db/client";
import { deactivateDemoAccounts, findLiveDemoAccounts } from "../lib/deployment/demo-accounts";

const args = process.argv.slice(2);
if (args.some((a) => a !== "--deactivate")) {
  console.error("usage: tsx scripts/demo-accounts.ts [--deactivate]");
  process.exit(2);
}

try {
  const db = await getDb();
  const found = await findLiveDemoAccounts(db);
  if (found.length === 0) console.log("no account can be logged in to with the demo credentials");
  else if (!args.includes("--deactivate")) console.log(`${found.length} live demo account(s): ${found.map((a) => `${a.loginId} (${a.because})`).join(", ")}; --deactivate deactivates them`);
  else console.log(`deactivated ${await deactivateDemoAccounts(db, found.map((a) => a.loginId), new Date())} demo account(s): ${found.map((a) => a.loginId).join(", ")}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await closeDb();
}
