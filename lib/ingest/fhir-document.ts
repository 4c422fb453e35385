import { createHash, randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import type { Transactor } from "./batches";
import { importedEvent, recordImported } from "./system-actor";
import { recordAudit } from "../audit";
import { sensitivityOf } from "../access/sensitivity";
import { readFhir, type FhirDocument, type FhirPatient, type Tag } from "../interop/fhir/read";
import { loadProfiles } from "../interop/fhir/fhir-packages";
import { checkInvariants } from "../interop/fhir/invariants";
import { DRUG_BY_HOT9 } from "../terminology/drugs";
import { addPrescription, recordId as makeId, removeRecords, type RecordTable, type Recs } from "./records";
import { RecordRows, type RowTable } from "./record-rows";
import { resolvePatient, type SourceIdentity } from "./patient-identity";
import { lookupFiling, writeLedger } from "./ledger";
import type { IngestSource } from "./source";
import type { FileOutcome, FileStatus } from "./ssmix2-file";

/** An issue as FHIR's OperationOutcome carries it: where, what, in Japanese and English. */
export interface IngestIssue {
  severity: "error" | "warning";
  code: string;
  expression: string;
  ja: string;
  en: string;
  invariant?: string;
}

export interface FhirOutcome extends FileOutcome {
  /** the document's resend key (Bundle.identifier), when it has one */
  key: string | null;
  issues: IngestIssue[];
  /** the Bundle entries (by index) that were read but filed nothing, with why: for the per-entry answer */
  notFiled?: { entry: number; reason: string }[];
}

/** The bound of one document, pushed (app/api/fhir) or read from a file: never larger than this. */
export const FHIR_DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;

/** Far deeper than any JP-CLINS document (about 12 levels), far shallower than what overflows a stack. */
const MAX_NESTING = 64;

/** Whether a parsed JSON value nests deeper than `limit`, walked without recursion. */
function nestedDeeperThan(v: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[v, 0]];
  while (stack.length) {
    const [x, d] = stack.pop()!;
    if (d > limit) return true;
    if (x && typeof x === "object") for (const c of Object.values(x)) if (c && typeof c === "object") stack.push([c, d + 1]);
  }
  return false;
}

const issueText = (i: IngestIssue) => `${i.invariant ? `${i.invariant} ` : ""}${i.expression}: ${i.en}`;

/** A document read and checked, before the database: what fileFhirDocument files (or the outcome already decided). */
export type PreparedFhir =
  | { kind: "decided"; outcome: FhirOutcome }
  /** a transaction of DELETE entries only: it names documents, not a patient */
  | { kind: "deletes"; name: string; doc: FhirDocument; issues: IngestIssue[]; warnings: string[] }
  /** `body`: the document as JSON text, as its ledger entry keeps it (text: a prepared document may come from another thread, lib/ingest/prepare-pool) */
  | { kind: "file"; name: string; body: string; doc: FhirDocument; identity: SourceIdentity; sourceKey: string; digest: string; issues: IngestIssue[]; warnings: string[] };

const fhirOutcome = (name: string, status: FileStatus, o: { reason?: string; records?: number; warnings?: string[]; issues?: IngestIssue[]; key?: string | null } = {}): FhirOutcome => ({
  file: name,
  status,
  ...(o.reason ? { reason: o.reason } : {}),
  records: o.records ?? 0,
  warnings: o.warnings ?? [],
  key: o.key ?? null,
  issues: o.issues ?? [],
});

/**
 * One FHIR document — a JP-CLINS document Bundle, a 5-information collection Bundle, a transaction
 * Bundle or a single resource — in one transaction: it lands whole or not at all, with its audit
 * event. Read (lib/interop/fhir), its profiles' invariants checked, its patient resolved exactly
 * (lib/ingest/patient-identity), then filed under its resend key: Bundle.identifier, never the
 * fullUrls that change on every send. A resend replaces the earlier report whole; a delete removes it.
 */
export async function importFhirDocument(db: Transactor, source: IngestSource, name: string, json: unknown, opts: { keepHeld?: boolean } = {}): Promise<FhirOutcome> {
  return fileFhirDocument(db, source, prepareFhirDocument(source, name, json), opts);
}

/**
 * The part of importing a document that needs no database (reading it, its invariants, whose it
 * says it is, its key): pure CPU, so a folder import does it before choosing the patient's lane.
 */
export function prepareFhirDocument(source: IngestSource, name: string, json: unknown): PreparedFhir {
  const decided = (status: FileStatus, o: Parameters<typeof fhirOutcome>[2]): PreparedFhir => ({ kind: "decided", outcome: fhirOutcome(name, status, o) });
  if (nestedDeeperThan(json, MAX_NESTING)) {
    const issue: IngestIssue = { severity: "error", code: "structure", expression: "", ja: `入れ子が ${MAX_NESTING} 段より深いため読みません（FHIR の文書はそこまで深くなりません）。`, en: `The document nests deeper than ${MAX_NESTING} levels; no FHIR document does.` };
    return decided("rejected", { reason: `TOO_DEEP: ${issue.en}`, issues: [issue] });
  }
  const read = readFhir(json);
  if (!read.ok) return decided("rejected", { reason: read.issues.filter((i) => i.severity === "error").map(issueText).join("; ") || "UNREADABLE", issues: read.issues });
  const doc = read.doc;
  const profiles = loadProfiles();
  const invariantIssues: IngestIssue[] = profiles.loaded ? checkInvariants(json, profiles) : [{ severity: "warning", code: "informational", expression: "", ja: profiles.ja, en: profiles.en }];
  const issues: IngestIssue[] = [...read.warnings, ...invariantIssues];
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length) return decided("rejected", { reason: errors.map(issueText).join("; "), issues, key: doc.key });
  // warnings an administrator should look at; dom-6 (no narrative) is true of almost every sender
  const warnings = issues.filter((i) => i.invariant !== "dom-6").map(issueText);

  if (doc.deletes.length && !doc.patient && !hasRecords(doc)) return { kind: "deletes", name, doc, issues, warnings };
  // a lone Organization or Encounter has no place in the record: counted, never silently dropped
  if (!doc.patient && !hasRecords(doc) && doc.notImported.length) return decided("not_imported", { reason: doc.notImported.map((n) => n.reason).join("; "), issues, key: doc.key });
  if (!doc.patient) return decided("rejected", { reason: `NO_PATIENT: the ${doc.shape === "resource" ? "resource" : "Bundle"} carries no Patient to file it under; send it in a Bundle with its Patient`, issues, key: doc.key });
  const who = identityOf(doc.patient, source);
  if ("rejected" in who) return decided("rejected", { reason: who.rejected, issues, key: doc.key });
  warnings.push(...who.warnings);
  const sourceKey = sourceKeyOf(doc, who.identity.localId);
  if (!sourceKey) return decided("rejected", { reason: "NO_KEY: the document has no identifier to file it under (Bundle.identifier, or the resource's own identifier)", issues, key: doc.key });
  return { kind: "file", name, body: JSON.stringify(json), doc, identity: who.identity, sourceKey, digest: digestOf(doc), issues, warnings };
}

/**
 * The lane a prepared document goes in (lib/ingest/lanes): its patient, as the facility names it (the
 * id a link matches), so that one patient's documents are filed in order. A decided outcome touches
 * no database and needs no order (a lane of its own); deletions name documents, not a patient, so
 * they get none: a barrier, never overtaking a document they may delete.
 */
export function laneOf(p: PreparedFhir): string | undefined {
  if (p.kind === "file") return `patient|${p.identity.localId}`;
  if (p.kind === "decided") return `decided|${p.outcome.file}`;
  return undefined;
}

/** The database part: the document filed in one transaction under its patient and key (see importFhirDocument). */
export async function fileFhirDocument(db: Transactor, source: IngestSource, p: PreparedFhir, opts: { keepHeld?: boolean } = {}): Promise<FhirOutcome> {
  if (p.kind === "decided") return p.outcome;
  if (p.kind === "deletes") return deleteDocuments(db, source, p.name, p.doc, p.issues, p.warnings);
  const { name, body, doc, sourceKey, digest, issues } = p;
  const warnings = [...p.warnings];
  const out = (status: FileStatus, o: Parameters<typeof fhirOutcome>[2] = {}) => fhirOutcome(name, status, o);

  return db.$transaction(async (tx) => {
    const { link, found } = await lookupFiling(tx, source.facilityId, p.identity.localId, sourceKey, db.ahead);
    const r = await resolvePatient(tx, source, p.identity, name, { link });
    if ("held" in r) {
      // kept until the review decides: a push cannot be read again from the facility's storage
      if (r.candidateId && opts.keepHeld !== false) {
        const again = await tx.heldDocument.findFirst({ where: { candidateId: r.candidateId, name }, select: { id: true } });
        const json = JSON.parse(body) as object;
        if (again) await tx.heldDocument.update({ where: { id: again.id }, data: { body: json, receivedAt: new Date() } });
        else await tx.heldDocument.create({ data: { id: `held-${randomUUID()}`, facilityId: source.facilityId, candidateId: r.candidateId, name, body: json } });
      }
      return out("held", { reason: r.held, issues, key: doc.key, warnings });
    }
    const patientId = r.patientId;
    warnings.push(...r.warnings);
    // a document whose link was undone starts again: its records left with the link
    const existing = found?.status === "UNLINKED" ? null : found;
    const stamp = doc.timestamp ?? "";
    if (existing && existing.patientId !== patientId) return out("rejected", { reason: `PATIENT_CHANGED: ${sourceKey} was filed under another patient; a resend may not move it`, issues, key: doc.key });
    if (existing && stamp && existing.sourceTimestamp && Date.parse(existing.sourceTimestamp) > Date.parse(stamp)) return out("superseded", { reason: `an older version than the one imported (${existing.sourceTimestamp})`, issues, key: doc.key, warnings });
    if (existing && existing.digest === digest && existing.status === "CURRENT") return out("unchanged", { issues, key: doc.key, warnings });
    const previous = (existing?.records ?? []) as Recs;
    await removeRecords(tx, patientId, previous);
    const { recs, skipped, rows } = writeRecords({ patientId, source, sourceKey, name, doc });
    for (const s of skipped) warnings.push(s);
    const status: FileStatus = existing ? "replaced" : "created";
    const event = (deleted: number) => importedEvent(source, patientId, { format: "FHIR", shape: doc.shape, file: name, key: sourceKey, status, records: recs.length, removed: previous.length, deleted, warnings: warnings.length });
    // its audit event in its ledger entry's statement, unless it also deletes other documents: it counts them
    await writeLedger(tx, { facilityId: source.facilityId, sourceKey, patientId, localPatientId: p.identity.localId, sourceFile: name, sourceTimestamp: stamp, digest, status: "CURRENT", records: recs, body, rows, ...(doc.deletes.length ? {} : { audit: event(0) }) }, db.ahead, db.writes);
    if (doc.deletes.length) {
      db.ahead?.forget(); // it changes other documents' entries
      await recordAudit(tx, event(await removeNamed(tx, source, doc.deletes)));
    }
    const notFiled = doc.notImported.flatMap((n) => {
      const m = /^Bundle\.entry\[(\d+)\]/.exec(n.at);
      return m ? [{ entry: Number(m[1]), reason: n.reason }] : [];
    });
    return { ...out(status, { records: recs.length, warnings, issues, key: doc.key }), notFiled };
  });
}

const hasRecords = (d: FhirDocument) => d.conditions.length + d.allergies.length + d.labs.length + d.medications.length + d.encounters.length + d.letters.length > 0 || d.document !== null;

/**
 * The resend key. A Bundle's identifier; a lone resource's own. Allergy and Condition collections
 * are full snapshots of what the facility holds for the patient, so each replaces the last one of
 * its kind whatever its identifier says.
 */
function sourceKeyOf(doc: FhirDocument, localId: string): string | null {
  if (doc.shape === "collection" && !doc.labs.length && !doc.medications.length) {
    if (doc.allergies.length && !doc.conditions.length) return `fhir-snapshot|AllergyIntolerance|${localId}`;
    if (doc.conditions.length && !doc.allergies.length) return `fhir-snapshot|Condition|${localId}`;
  }
  return doc.key ? `fhir|${doc.key}` : null;
}

/** What the document says, without what changes on every send (fullUrls are not in the read document). */
const digestOf = (doc: FhirDocument) => createHash("sha256").update(JSON.stringify({ ...doc, timestamp: null })).digest("hex");

/**
 * Who a document the facility sent says it is about, read again from its stored body (a document an
 * unlink holds again): the Patient's names, birth date, sex and 被保険者個人識別子, or null when the body
 * names no patient of this facility. Reading only: nothing is checked or filed.
 */
export function identityOfBody(source: IngestSource, json: unknown): SourceIdentity | null {
  const read = readFhir(json);
  if (!read.ok || !read.doc.patient) return null;
  const who = identityOf(read.doc.patient, source);
  return "rejected" in who ? null : who.identity;
}

/**
 * The facility's own patient id, from the Patient's identifiers: only an id system that names the
 * sending facility (urn:oid:1.2.392.100495.20.3.51.1<医療機関コード>) is matched against links. One that
 * names another facility, or none (allowed by JP Core), could match someone else's id: refused.
 */
function identityOf(p: FhirPatient, source: IngestSource): { identity: SourceIdentity; warnings: string[] } | { rejected: string } {
  const own = p.localIds.find((l) => l.facilityCode === source.facilityCode);
  if (!own) {
    const other = p.localIds.find((l) => l.facilityCode);
    const bare = p.localIds.find((l) => !l.facilityCode);
    if (other) return { rejected: `PATIENT_ID_OF_ANOTHER_FACILITY: ${p.at}.identifier names facility ${other.facilityCode}'s patient id, but the sender is ${source.facilityCode}` };
    if (bare) return { rejected: `PATIENT_ID_SYSTEM: ${p.at}.identifier ${bare.system} names no facility; send the id as urn:oid:1.2.392.100495.20.3.51.1${source.facilityCode}` };
    if (p.insured) return { rejected: `IDENTITY_INCOMPLETE: ${p.at} names the patient by 被保険者個人識別子 only; send the resource in a Bundle with its Patient (the facility's patient id, birth date and sex)` };
    return { rejected: `NO_PATIENT_ID: ${p.at}.identifier has no patient id of the sending facility` };
  }
  return {
    identity: { localId: own.value, familyName: p.familyName, givenName: p.givenName, familyNameKana: p.familyNameKana, givenNameKana: p.givenNameKana, birthDate: p.birthDate, sex: p.sex, insured: p.insured, fields: { birth: "Patient.birthDate", sex: "Patient.gender" } },
    warnings: [],
  };
}

/** A transaction's DELETE entries: `Bundle?identifier=system|value` removes the document filed under that key. */
async function removeNamed(tx: Tx, source: IngestSource, urls: string[]): Promise<number> {
  let n = 0;
  for (const url of urls) {
    const key = keyOfDeleteUrl(url);
    if (!key) continue;
    const d = await tx.ingestDocument.findUnique({ where: { facilityId_sourceKey: { facilityId: source.facilityId, sourceKey: key } } });
    if (!d || d.status === "DELETED") continue;
    await removeRecords(tx, d.patientId, d.records as Recs);
    await tx.ingestDocument.update({ where: { facilityId_sourceKey: { facilityId: source.facilityId, sourceKey: key } }, data: { status: "DELETED", records: [], importedAt: new Date() } });
    await recordImported(tx, source, d.patientId, { format: "FHIR", key, status: "deleted", removed: (d.records as Recs).length });
    n++;
  }
  return n;
}

function keyOfDeleteUrl(url: string): string | null {
  const m = /^Bundle\?identifier=(.+)$/.exec(url.trim());
  if (!m) return null;
  const v = decodeURIComponent(m[1]!);
  return v.includes("|") ? `fhir|${v}` : null;
}

/** A transaction of DELETE entries only: each named document removed, in one transaction. */
async function deleteDocuments(db: Transactor, source: IngestSource, name: string, doc: FhirDocument, issues: IngestIssue[], warnings: string[]): Promise<FhirOutcome> {
  const unsupported = doc.deletes.filter((u) => !keyOfDeleteUrl(u));
  const base = { file: name, key: doc.key, issues, warnings, records: 0 };
  if (unsupported.length) return { ...base, status: "rejected", reason: `DELETE_UNSUPPORTED: only Bundle?identifier=system|value can be deleted (${unsupported.join(", ")})` };
  const n = await db.$transaction((tx) => removeNamed(tx, source, doc.deletes));
  if (n < doc.deletes.length) warnings.push(`DELETE_UNKNOWN: ${doc.deletes.length - n} of the documents named were never imported (or already deleted)`);
  return { ...base, status: "deleted" };
}

/** A read record's own content, without where it was read, its identifier, tags and date (each filed its own way). */
function ownFields<T extends { at: string; identifier: string | null; tags: Tag[]; occurredAt: Date | null }>(x: T): Omit<T, "at" | "identifier" | "tags" | "occurredAt"> {
  const { at, identifier, tags, occurredAt, ...own } = x;
  void [at, identifier, tags, occurredAt];
  return own;
}

interface WriteContext {
  patientId: string;
  source: IngestSource;
  sourceKey: string;
  name: string;
  doc: FhirDocument;
}

/**
 * The document's records. UNDELIVERED ones are not for other facilities, and Tsunagu exists only to
 * show records to other facilities, so they are not stored at all (reported). UNINFORMED ones are
 * stored marked 未告知.
 */
function writeRecords(c: WriteContext): { recs: Recs; skipped: string[]; rows: RecordRows } {
  const { doc, patientId, source } = c;
  const fallback = (doc.timestamp && !Number.isNaN(Date.parse(doc.timestamp)) ? new Date(doc.timestamp) : null) ?? new Date();
  const id = (n: string) => makeId("fhir", source.facilityId, c.sourceKey, n);
  const skipped: string[] = [];
  const keep = <T extends { tags: Tag[]; at: string }>(xs: T[]) =>
    xs.filter((x) => {
      if (!x.tags.includes("UNDELIVERED")) return true;
      skipped.push(`UNDELIVERED: ${x.at} is marked not for other facilities; not stored`);
      return false;
    });
  const base = (x: { tags: Tag[] }) => ({ patientId, facilityId: source.facilityId, uninformed: x.tags.includes("UNINFORMED"), sourceRef: c.name });
  const recs: Recs = [];
  // written with the ledger entry (lib/ingest/record-rows), and kept on it: a resend replaces exactly these
  const rows = new RecordRows();
  const filed = <R extends { id: string }>(table: RecordTable & RowTable, data: R[]) => {
    rows.add(table, data);
    recs.push(...data.map((r) => ({ table, id: r.id })));
  };
  // a record the sender gave no date is filed at the document's time, marked so (NONE) and warned:
  // a clinician must not read the send date as an onset
  const undated = (x: { at: string }) => {
    skipped.push(`NO_DATE: ${x.at} has no date; filed at the document's time ${fallback.toISOString()}`);
    return fallback;
  };
  const dated = (x: { at: string; occurredAt: Date | null; occurredPrecision: "YEAR" | "MONTH" | null }) =>
    x.occurredAt ? { occurredAt: x.occurredAt, occurredPrecision: x.occurredPrecision } : { occurredAt: undated(x), occurredPrecision: "NONE" };

  const conditions = keep(doc.conditions).map((x, i) => ({
    ...base(x),
    id: id(`dx${i + 1}`),
    ...dated(x),
    endedAt: x.endedAt,
    codeSystem: x.codeSystem || "local",
    code: x.code,
    display: x.display,
    icd10: x.icd10,
    suspected: x.suspected,
    major: x.major,
    outcome: x.outcome,
    sensitivity: sensitivityOf({ icd10: x.icd10, facilityCategory: source.careCategory }),
  }));
  filed("Condition", conditions);

  const allergies = keep(doc.allergies).map((x, i) => ({
    ...base(x),
    id: id(`alg${i + 1}`),
    ...dated(x),
    kind: x.kind,
    codeSystem: x.codeSystem,
    code: x.code,
    display: x.display,
    reaction: x.reaction,
    severity: x.severity,
    active: x.active,
    // allergies are never withheld by inheritance (lib/access/sensitivity): the banner must show them
    sensitivity: "NORMAL" as const,
  }));
  filed("Allergy", allergies);

  const labs = keep(doc.labs).map((x, i) => ({
    ...base(x),
    id: id(`lab${i + 1}`),
    occurredAt: x.occurredAt ?? undated(x),
    codeSystem: x.codeSystem || "local",
    code: x.code,
    display: x.display,
    valueNumeric: x.valueNumeric,
    valueText: x.valueText,
    unit: x.unit,
    refLow: x.refLow,
    refHigh: x.refHigh,
    refText: x.refText,
    flag: x.flag,
    sensitivity: sensitivityOf({ facilityCategory: source.careCategory }),
  }));
  filed("LabResult", labs);

  // one prescription per order (authoredOn and prescriber), its MedicationRequests as its items; one
  // dispense per hand-over (whenHandedOver and pharmacist), its MedicationDispenses as its items
  const meds = keep(doc.medications);
  const orders = new Map<string, typeof meds>();
  for (const m of meds) {
    const k = `${m.dispensed}|${m.occurredAt?.toISOString() ?? ""}|${m.prescriberName ?? ""}`;
    orders.set(k, [...(orders.get(k) ?? []), m]);
  }
  let n = 0;
  for (const items of orders.values()) {
    const rxId = id(`rx${++n}`);
    const first = items[0]!;
    // HOT13 and HOT9 share their first nine digits; the YJ code carries the ingredient and class the
    // duplicate, interaction and sensitivity rules read, where the code table knows the product
    const yj = (m: (typeof items)[number]) => m.yjCode ?? (m.hotCode ? (DRUG_BY_HOT9.get(m.hotCode.slice(0, 9))?.yj ?? null) : null);
    addPrescription(
      rows,
      {
        ...base(first),
        uninformed: items.some((m) => m.tags.includes("UNINFORMED")),
        id: rxId,
        kind: first.dispensed ? "DISPENSE" : "PRESCRIPTION",
        occurredAt: first.occurredAt ?? fallback,
        prescriberName: first.prescriberName,
        department: first.department,
        sensitivity: sensitivityOf({ yjCodes: items.map(yj), department: first.department, facilityCategory: source.careCategory }),
      },
      items.map((m, i) => ({
        id: `${rxId}-${String(i + 1).padStart(2, "0")}`,
        rp: m.rp ?? i + 1,
        codeSystem: m.codeSystem || "local",
        code: m.code,
        display: m.display,
        hotCode: m.hotCode,
        yjCode: yj(m),
        dose: m.dose,
        doseUnit: m.doseUnit,
        usageCode: m.usageCode,
        usageText: m.usageText,
        days: m.days,
        asNeeded: m.asNeeded,
      })),
    );
    recs.push({ table: "Prescription", id: rxId });
  }

  // a visit has no 未告知 mark of its own (the table keeps none)
  const encounters = keep(doc.encounters).map((x, i) => ({
    patientId,
    facilityId: source.facilityId,
    sourceRef: c.name,
    id: id(`enc${i + 1}`),
    occurredAt: x.occurredAt ?? undated(x),
    ...ownFields(x),
    sensitivity: sensitivityOf({ department: x.department, facilityCategory: source.careCategory }),
  }));
  filed("Encounter", encounters);

  // letters and reports sent as DocumentReferences with their text (a transaction Bundle's)
  const letters = keep(doc.letters).map((x, i) => ({
    ...base(x),
    id: id(`ltr${i + 1}`),
    occurredAt: x.occurredAt ?? undated(x),
    ...ownFields(x),
    sensitivity: sensitivityOf({ facilityCategory: source.careCategory }),
  }));
  filed("Document", letters);

  if (doc.document) {
    const d = doc.document;
    const docId = id("doc");
    rows.add("Document", [
      {
        patientId,
        facilityId: source.facilityId,
        id: docId,
        occurredAt: d.occurredAt ?? fallback,
        kind: d.kind,
        title: d.title ?? (d.kind === "REFERRAL" ? "診療情報提供書" : "退院時サマリー"),
        authorName: d.authorName,
        recipient: d.recipient,
        body: d.body,
        // a letter is as sensitive as the diagnoses it carries: it tells them in prose
        sensitivity: conditions.find((x) => x.sensitivity !== "NORMAL")?.sensitivity ?? sensitivityOf({ facilityCategory: source.careCategory }),
        sourceRef: c.name,
      },
    ]);
    recs.push({ table: "Document", id: docId });
  }
  for (const s of doc.notImported) skipped.push(`NOT_IMPORTED: ${s.at}: ${s.reason}`);
  return { recs, skipped, rows };
}
