// npm run facility:key -- issue | revoke [--key <key id>] | list  --facility <医療機関コード>
// API keys for facility systems that push to POST /api/fhir. `issue` prints the key once: it is stored
// only as a hash and cannot be shown again. `revoke` without --key revokes every live key of the
// facility. Exit 0 on success, 2 on a usage error or a refusal.
import { closeDb, getDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { FacilityKeyError, issueFacilityKey, listFacilityKeys, revokeFacilityKeys } from "../lib/auth/facility-key";

const args = process.argv.slice(2);
const opt = (name: string) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
const verb = args[0];
const facility = opt("--facility");
if (!verb || !["issue", "revoke", "list"].includes(verb) || !facility || !/^\d{10}$/.test(facility)) {
  console.error("usage: npm run facility:key -- issue | revoke [--key <key id>] | list --facility <10-digit 医療機関コード>");
  process.exit(2);
}
await migrateDatabase();
const db = await getDb();
const by = `cli:${process.env.USER ?? "operator"}`;
try {
  if (verb === "issue") {
    const { id, key } = await issueFacilityKey(db, facility, by);
    console.log(`key ${id} issued for ${facility}. Give it to the facility's system now; it is not shown again:`);
    console.log(key);
  } else if (verb === "revoke") {
    const ids = await revokeFacilityKeys(db, facility, by, opt("--key"));
    console.log(ids.length ? `revoked: ${ids.join(", ")}` : "no live key to revoke");
  } else {
    const keys = await listFacilityKeys(db, facility);
    if (keys.length === 0) console.log("no keys");
    for (const k of keys) console.log(`${k.id}  issued ${k.createdAt.toISOString()} by ${k.createdBy}  ${k.revokedAt ? `revoked ${k.revokedAt.toISOString()} by ${k.revokedBy}` : "live"}  last used ${k.lastUsedAt?.toISOString() ?? "never"}`);
  }
  await closeDb();
} catch (e) {
  if (e instanceof FacilityKeyError) {
    console.error(`refused: ${e.reason}`);
    process.exit(2);
  }
  throw e;
}
