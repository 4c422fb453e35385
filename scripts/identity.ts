// npm run identity -- list | confirm <candidate> [--patient <patient id>] [--branch <枝番>] [--override "<why the same person>"] | reject <candidate>
//                     | unlink --facility <医療機関コード> --id <the facility's patient id> --reason <text>
// The identity review of imported records until the administration screen exists: a facility's patient
// id that no link names holds its files until it is confirmed (linked, with provenance) or rejected.
// Exit 0 on success, 2 on a usage error or a refused decision.
import { closeDb, getDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { confirmCandidate, IdentityReviewError, listCandidates, rejectCandidate, unlinkPatient } from "../lib/ingest/identity-review";

const [verb, id, ...rest] = process.argv.slice(2);
const usage = () => {
  console.error("usage: npm run identity -- list | confirm <candidate> [--patient <patient id>] [--branch <枝番>] [--override <why the same person>] | reject <candidate> | unlink --facility <code> --id <local id> --reason <text>");
  process.exit(2);
};
const opt = (name: string) => (process.argv.indexOf(name) >= 0 ? process.argv[process.argv.indexOf(name) + 1] : undefined);
if (!verb || !["list", "confirm", "reject", "unlink"].includes(verb) || (verb !== "list" && !id)) usage();
if (verb === "unlink" && (!opt("--facility") || !opt("--id") || !opt("--reason"))) usage();
await migrateDatabase();
const db = await getDb();
const by = `cli:${process.env.USER ?? "operator"}`;
try {
  if (verb === "list") {
    const list = await listCandidates(db);
    if (list.length === 0) console.log("no identity candidates are waiting");
    for (const c of list) {
      const who = c.identity as Record<string, string | null> & { otherBranches?: string[] };
      // held files with other 枝番: the link stands for one, named with --branch (the others wait again)
      const branches = who.otherBranches?.length ? `  other 枝番 ${who.otherBranches.join("/")} (confirm one with --branch)` : "";
      console.log(
        `${c.id}  ${c.facility.code} ${c.facility.name}  id ${c.localPatientId}  ${who.familyName ?? ""} ${who.givenName ?? ""}（${who.familyNameKana ?? ""} ${who.givenNameKana ?? ""}） ${who.birthDate ?? "?"} ${who.sex}  files held ${c.heldFiles}  suggested ${c.suggestedPatientId ?? "none"}${branches}${who.conflict ? `  ${who.conflict}` : ""}${who.unlinkedFrom ? `  unlinked from ${who.unlinkedFrom}: ${who.reason ?? ""}` : ""}`,
      );
    }
  } else if (verb === "confirm") {
    const at = rest.indexOf("--patient");
    const reason = opt("--override");
    const branch = opt("--branch");
    const r = await confirmCandidate(db, id!, { by, ...(at >= 0 && rest[at + 1] ? { patientId: rest[at + 1] } : {}), ...(reason ? { override: { reason } } : {}), ...(branch ? { branch } : {}) });
    console.log(`linked to patient ${r.patientId}; ${r.filed} pushed document(s) filed. Import an SS-MIX2 storage again to file its held files`);
    if (r.heldAgain) console.log(`${r.heldAgain} pushed document(s) held again${r.heldConflict ? ` (枝番 ${r.heldConflict.sent}, the link accepts ${r.heldConflict.linked.join("/")})` : ""}: candidate ${r.heldWith ?? "none"}`);
    if (r.notFiled) console.log(`${r.notFiled} pushed document(s) could not be read and were not filed`);
  } else if (verb === "unlink") {
    const r = await unlinkPatient(db, { facilityCode: opt("--facility")!, localPatientId: opt("--id")!, by, reason: opt("--reason")! });
    console.log(`unlinked from patient ${r.patientId}: ${r.documents} document(s), ${r.records} record(s) removed from that patient and held under candidate ${r.candidate}`);
  } else {
    await rejectCandidate(db, id!, { by });
    console.log("rejected; its files stay held");
  }
  await closeDb();
} catch (e) {
  if (e instanceof IdentityReviewError) {
    const hint: Partial<Record<typeof e.reason, string>> = {
      IDENTITY_DIFFERS: " (date of birth or sex differs from the patient's: check it is the same person, then confirm with --override \"<how you checked>\")",
      VOUCH_REASON_REQUIRED: " (the files give another 枝番 than the link accepts: check it is the same person, then confirm with --override \"<how you checked>\"; the link then accepts that 枝番)",
      ALREADY_LINKED: " (the facility's id is linked to another patient: confirm it as that patient, or unlink first)",
      NO_SUCH_BRANCH: " (none of the candidate's held files gives that 枝番: see npm run identity -- list)",
    };
    console.error(`refused: ${e.reason}${hint[e.reason] ?? ""}`);
    process.exit(2);
  }
  throw e;
}
