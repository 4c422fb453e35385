// npm run identity -- list | confirm <candidate> [--patient <patient id>] | reject <candidate>
// The identity review of imported records until the administration screen exists: a facility's patient
// id that no link names holds its files until it is confirmed (linked, with provenance) or rejected.
// Exit 0 on success, 2 on a usage error or a refused decision.
import { closeDb, getDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { confirmCandidate, IdentityReviewError, listCandidates, rejectCandidate } from "../lib/ingest/identity-review";

const [verb, id, ...rest] = process.argv.slice(2);
const usage = () => {
  console.error("usage: npm run identity -- list | confirm <candidate> [--patient <patient id>] | reject <candidate>");
  process.exit(2);
};
if (!verb || !["list", "confirm", "reject"].includes(verb) || (verb !== "list" && !id)) usage();
await migrateDatabase();
const db = await getDb();
const by = `cli:${process.env.USER ?? "operator"}`;
try {
  if (verb === "list") {
    const list = await listCandidates(db);
    if (list.length === 0) console.log("no identity candidates are waiting");
    for (const c of list) {
      const who = c.identity as Record<string, string | null>;
      console.log(
        `${c.id}  ${c.facility.code} ${c.facility.name}  id ${c.localPatientId}  ${who.familyName ?? ""} ${who.givenName ?? ""}（${who.familyNameKana ?? ""} ${who.givenNameKana ?? ""}） ${who.birthDate ?? "?"} ${who.sex}  files held ${c.heldFiles}  suggested ${c.suggestedPatientId ?? "none"}`,
      );
    }
  } else if (verb === "confirm") {
    const at = rest.indexOf("--patient");
    const r = await confirmCandidate(db, id!, { by, ...(at >= 0 && rest[at + 1] ? { patientId: rest[at + 1] } : {}) });
    console.log(`linked to patient ${r.patientId}; ${r.filed} pushed document(s) filed. Import an SS-MIX2 storage again to file its held files`);
  } else {
    await rejectCandidate(db, id!, { by });
    console.log("rejected; its files stay held");
  }
  await closeDb();
} catch (e) {
  if (e instanceof IdentityReviewError) {
    console.error(`refused: ${e.reason}`);
    process.exit(2);
  }
  throw e;
}
