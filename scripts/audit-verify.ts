// npm run audit:verify — recomputes every audit chain, side by side, and holds each against the keyed checkpoints
// (TSUNAGU_AUDIT_CHECKPOINT_FILE, TSUNAGU_AUDIT_KEY). One line per finding; exit 1 on any.
// Reads only: the application role (INSERT and SELECT on the audit trail) is enough to run it.
import { checkConfigurationOrExit } from "../lib/startup";
import { auditCheckpointFile } from "../lib/env";
import { closeDb, getDb } from "../lib/db/client";
import { describeFinding, verifyAuditTrail } from "../lib/audit/verify";

checkConfigurationOrExit();
try {
  const file = auditCheckpointFile();
  const r = await verifyAuditTrail(await getDb(), { file });
  for (const f of r.findings) console.log(describeFinding(f));
  const cp = r.checkpointAt === null ? "no valid checkpoint" : `${r.checkpoints} checkpoint(s), the latest ${r.checkpointAt.toISOString()}`;
  console.log(
    r.ok
      ? `audit trail ok: ${r.checked} events in ${r.chains} chain(s) verified, ${cp} (${file}) — 監査ログは正常です`
      : `audit trail NOT ok: ${r.findings.length} finding(s); ${r.checked} events in ${r.chains} chain(s) verified up to their first, ${cp} (${file}) — 監査ログに問題があります`,
  );
  process.exitCode = r.ok ? 0 : 1;
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 2;
} finally {
  await closeDb();
}
