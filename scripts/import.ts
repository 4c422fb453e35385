// npm run import -- <path> --facility <医療機関コード>
// Imports a facility's records: an SS-MIX2 standardized storage root, or a FHIR (JP-CLINS) Bundle
// file, a single resource file, or a folder of them. Exit 0: every file imported (or nothing to do);
// 3: some files were rejected or held (each listed with its reason); 2: a usage error or a refusal.
// Migrates first (idempotent), so a fresh embedded database can take an import.
import fs from "node:fs";
import { closeDb, getDb } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { DatabaseInUseError } from "../lib/db/pglite-lock";
import { importSsmix2Tree, IngestRefusedError } from "../lib/ingest/ssmix2-tree";
import { hasJsonFile, importFhirPath, looksLikeSsmix2, ssmix2RootsBelow } from "../lib/ingest/fhir-files";
import { readModeFor } from "../lib/ingest/file-reads";

const args = process.argv.slice(2);
const at = args.indexOf("--facility");
const facility = at >= 0 ? args[at + 1] : undefined;
const root = args.find((a, i) => !a.startsWith("--") && i !== at + 1);
if (!root || !facility || !/^\d{10}$/.test(facility)) {
  console.error("usage: npm run import -- <SS-MIX2 storage root | FHIR .json file | folder of FHIR .json files> --facility <10-digit 医療機関コード>");
  process.exit(2);
}
if (!fs.existsSync(root)) {
  console.error(`no such file or folder: ${root}`);
  process.exit(2);
}
const ssmix2 = fs.statSync(root).isDirectory() && (await looksLikeSsmix2(root));
// A folder with neither shape would be read as FHIR and every file counted "not a .json file", exit 0:
// a usage error instead, naming the storage roots below it when there are any.
if (!ssmix2 && fs.statSync(root).isDirectory() && !hasJsonFile(root)) {
  const below = await ssmix2RootsBelow(root);
  console.error(
    below.length
      ? `${root} is not an SS-MIX2 storage root (its top level holds no 3-character patient id folders) and has no FHIR .json file; the SS-MIX2 storage below it: ${below.join(", ")}`
      : `${root} is neither an SS-MIX2 storage root (3-character patient id folders at its top level) nor a folder with any FHIR .json file`,
  );
  process.exit(2);
}

async function countFiles(p: string): Promise<number> {
  if (!fs.statSync(p).isDirectory()) return 1;
  let n = 0;
  for (const e of await fs.promises.readdir(p, { withFileTypes: true })) n += e.isDirectory() ? await countFiles(`${p}/${e.name}`) : e.isFile() ? 1 : 0;
  return n;
}

try {
  await migrateDatabase();
} catch (e) {
  // the embedded database open in another process (the app running): say so, without a stack trace
  if (e instanceof DatabaseInUseError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
const db = await getDb();
// The total for the progress bar, counted first by names alone (a cheap walk; memory stays flat).
const total = await countFiles(root);
// a network share is read ahead, a local disk synchronously (lib/ingest/file-reads): say which
const reads = readModeFor(root);
if (reads === "ahead") console.error("  files on a network file system: read 16 at a time in the background");
const started = Date.now();
let files = 0;
let records = 0;
const progress = () => {
  const s = (Date.now() - started) / 1000;
  const done = total ? Math.min(1, files / total) : 1;
  const bar = "#".repeat(Math.round(done * 30)).padEnd(30, ".");
  process.stderr.write(`\r  [${bar}] files ${files}/${total} · records ${records} · ${(records / Math.max(s, 0.001)).toFixed(0)} records/s   `);
};
try {
  const summary = await (ssmix2 ? importSsmix2Tree : importFhirPath)(db, facility, root, {
    by: `cli:${process.env.USER ?? "operator"}`,
    reads,
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
  if (summary.warningCount > summary.warnings.length) {
    console.log(`  … ${summary.warningCount - summary.warnings.length} more warnings (${summary.warningCount} in all): ${Object.entries(summary.warningKinds).map(([k, n]) => `${k} × ${n}`).join(", ")}`);
  }
  await closeDb();
  process.exit(c.rejected + c.held > 0 ? 3 : 0);
} catch (e) {
  if (e instanceof IngestRefusedError) {
    console.error(`refused: ${e.reason}`);
    process.exit(2);
  }
  throw e;
}
