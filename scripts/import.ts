// npm run import -- <SS-MIX2 storage root> --facility <医療機関コード>
// Imports a facility's SS-MIX2 standardized storage. Exit 0: every file imported (or nothing to do);
// 3: some files were rejected or held (each listed with its reason); 2: a usage error or a refusal.
// Migrates first (idempotent), so a fresh embedded database can take an import.
import fs from "node:fs";
import { closeDb, getDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { importSsmix2Tree, IngestRefusedError } from "../lib/ingest/ssmix2-tree";

const args = process.argv.slice(2);
const at = args.indexOf("--facility");
const facility = at >= 0 ? args[at + 1] : undefined;
const root = args.find((a, i) => !a.startsWith("--") && i !== at + 1);
if (!root || !facility || !/^\d{10}$/.test(facility)) {
  console.error("usage: npm run import -- <SS-MIX2 storage root> --facility <10-digit 医療機関コード>");
  process.exit(2);
}
if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
  console.error(`not a folder: ${root} (an SS-MIX2 standardized storage root holds id1-3/id4-6/id/… folders)`);
  process.exit(2);
}

await migrateDatabase();
const db = await getDb();
const started = Date.now();
let files = 0;
let records = 0;
const progress = () => {
  const s = (Date.now() - started) / 1000;
  process.stderr.write(`\r  files ${files} · records ${records} · ${(records / Math.max(s, 0.001)).toFixed(0)} records/s   `);
};
try {
  const summary = await importSsmix2Tree(db, facility, root, {
    by: `cli:${process.env.USER ?? "operator"}`,
    onFile: (o) => {
      files++;
      records += o.records;
      if (files % 25 === 0) progress();
    },
  });
  progress();
  process.stderr.write("\n");
  const c = summary.counts;
  console.log(`files read ${summary.filesRead}: created ${c.created}, replaced ${c.replaced}, deleted ${c.deleted}, unchanged ${c.unchanged}, superseded ${c.superseded}, not imported ${c.not_imported}, held ${c.held}, rejected ${c.rejected}; records written ${summary.records}`);
  for (const [kind, n] of Object.entries(summary.notImported)) console.log(`  not imported: ${kind} × ${n}`);
  for (const r of summary.rejected) console.log(`  rejected ${r.file}: ${r.reason}`);
  for (const h of summary.held) console.log(`  held ${h.file}: ${h.reason}`);
  for (const w of summary.warnings) console.log(`  warning ${w.file}: ${w.warning}`);
  await closeDb();
  process.exit(c.rejected + c.held > 0 ? 3 : 0);
} catch (e) {
  if (e instanceof IngestRefusedError) {
    console.error(`refused: ${e.reason}`);
    process.exit(2);
  }
  throw e;
}
