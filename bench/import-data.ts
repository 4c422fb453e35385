/**
 * The generated input of `npm run bench -- --import`: an SS-MIX2 standardized storage tree and a folder
 * of JP-CLINS Bundles for a few thousand patients of one facility, made from the real fixtures
 * (/work/shared/fixtures, read only) with each patient's id, birth date and sex written consistently
 * into the path, the file name and PID-3/7/8 (SS-MIX2) or Patient.identifier/birthDate/gender (FHIR),
 * and the values varied. Seeded: the same --records gives the same files, so runs compare.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { encodeIso2022jp } from "./iso2022jp";

export const BENCH_FACILITY_CODE = "1318814790"; // the JP-CLINS examples' sender: their ids name it
const FIXTURES = path.resolve(import.meta.dirname, "../../shared/fixtures");
const SS = path.join(FIXTURES, "ssmix2/sampleData/999/901/9999013");
const CLINS = path.join(FIXTURES, "jp-clins");

/** Records each generated file files (what the importer reports for the fixture it is made from). */
const PER_FILE = { lab: 3, rx: 1, allergy: 4, problem: 1, referral: 9, observations: 4 };
const VISITS = 5; // per patient: one OML-11 (lab) and one OMP-01 (prescription) a visit
const OBSERVATION_BUNDLES = 2;
const PER_PATIENT = PER_FILE.allergy + PER_FILE.problem + VISITS * (PER_FILE.lab + PER_FILE.rx) + PER_FILE.referral + OBSERVATION_BUNDLES * PER_FILE.observations;

export interface BenchPatient {
  localId: string;
  birth: string; // YYYY-MM-DD
  sex: "MALE" | "FEMALE";
  insuredNumber: string;
}

/** mulberry32: small, fast and seeded; the bench needs repeatable variety, not quality. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const ymd = (d: Date) => d.toISOString().slice(0, 10).replace(/-/g, "");

export function planPatients(records: number, seed = 1): { patients: BenchPatient[]; expectedRecords: { ssmix2: number; fhir: number } } {
  const count = Math.ceil(records / PER_PATIENT);
  const r = rng(seed);
  const patients = Array.from({ length: count }, (_, i) => {
    const birth = new Date(Date.UTC(1930 + Math.floor(r() * 70), Math.floor(r() * 12), 1 + Math.floor(r() * 28)));
    // 9 digits: SS-MIX2 folders take the first 3 and next 3, and it reads like the examples' 000999739
    return { localId: `8${pad(i + 1, 8)}`, birth: birth.toISOString().slice(0, 10), sex: r() < 0.5 ? "MALE" : "FEMALE", insuredNumber: String(100 + i) } as BenchPatient;
  });
  const ss = PER_FILE.allergy + PER_FILE.problem + VISITS * (PER_FILE.lab + PER_FILE.rx);
  return { patients, expectedRecords: { ssmix2: count * ss, fhir: count * (PER_PATIENT - ss) } };
}

// ------------------------------------------------------------------------------------------------
// SS-MIX2

/** A fixture message as segments of fields (decoded first: see iso2022jp.ts for why). */
async function hl7Template(rel: string): Promise<string[][]> {
  const dir = path.join(SS, rel);
  const [file] = await fs.readdir(dir);
  const text = new TextDecoder("iso-2022-jp", { fatal: true }).decode(await fs.readFile(path.join(dir, file!)));
  return text.split(/\r\n?|\n/).filter(Boolean).map((s) => s.split("|"));
}

function hl7Bytes(segments: string[][], p: BenchPatient, edit: (seg: string[]) => void = () => {}): Buffer {
  const text = segments
    .map((fields) => {
      const f = [...fields];
      if (f[0] === "PID") {
        f[3] = `${p.localId}^^^^PI`;
        f[7] = p.birth.replace(/-/g, "");
        f[8] = p.sex === "MALE" ? "M" : "F";
      }
      edit(f);
      return f.join("|");
    })
    .join("\r");
  return encodeIso2022jp(`${text}\r`);
}

async function writeFileIn(root: string, rel: string, bytes: Buffer | string) {
  const file = path.join(root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
}

/** The patient's storage folder and file name for one document (storage.ts parses them back). */
const ssPath = (p: BenchPatient, day: string, kind: string, order: string, stamp: string, dept: string) =>
  `${p.localId.slice(0, 3)}/${p.localId.slice(3, 6)}/${p.localId}/${day}/${kind}/${p.localId}_${day}_${kind}_${order}_${stamp}_${dept}_1`;

export async function writeSsmix2Tree(root: string, patients: BenchPatient[], seed = 2): Promise<number> {
  const [lab, rx, allergy, problem] = await Promise.all([hl7Template("20111220/OML-11"), hl7Template("20110701/OMP-01"), hl7Template("-/ADT-61"), hl7Template("-/PPR-01")]);
  const r = rng(seed);
  let files = 0;
  for (const [pi, p] of patients.entries()) {
    const writes: Promise<void>[] = [];
    const put = (rel: string, bytes: Buffer) => {
      writes.push(writeFileIn(root, rel, bytes));
      files++;
    };
    put(ssPath(p, "-", "ADT-61", "999999999999999", "20111014232213000", "-"), hl7Bytes(allergy, p));
    put(ssPath(p, "-", "PPR-01", "999999999999999", "20111209163030000", "01"), hl7Bytes(problem, p));
    // visits on distinct days, in order, 2020-2025: each its own document key (date, kind, order no)
    const days = new Set<string>();
    while (days.size < VISITS) days.add(ymd(new Date(Date.UTC(2020, 0, 1) + Math.floor(r() * 6 * 365) * 86_400_000)));
    for (const [v, day] of [...days].sort().entries()) {
      const order = `${pad(pi + 1, 13)}${pad(v, 2)}`;
      const swap = (f: string[]) => f.forEach((x, i) => (f[i] = x.replaceAll("20111219", day).replaceAll("20111220", day).replaceAll("000000011000354", order).replaceAll("20110701", day).replaceAll("000000011000185", order)));
      put(
        ssPath(p, day, "OML-11", order, `${day}103059000`, "01"),
        hl7Bytes(lab, p, (f) => {
          swap(f);
          if (f[0] === "OBX" && f[2] === "NM") f[5] = (Number(f[5]) * (0.8 + r() * 0.4)).toFixed(1);
        }),
      );
      put(
        ssPath(p, day, "OMP-01", order, `${day}224603984`, "01"),
        hl7Bytes(rx, p, (f) => {
          swap(f);
          if (f[0] === "TQ1") f[6] = `${[5, 7, 14, 28][Math.floor(r() * 4)]}^d`;
        }),
      );
    }
    await Promise.all(writes);
  }
  return files;
}

// ------------------------------------------------------------------------------------------------
// FHIR

type Json = Record<string, unknown> & { entry: { resource: Record<string, unknown> & { resourceType: string } }[] };

/**
 * The examples' Bundle for another patient, keeping the JP-CLINS invariants: Bundle.identifier
 * `<facility>^<year>^<id>` (R2152), one JP_Insurance_memberID `insurer:symbol:number:branch` (R1012/R1013).
 */
function forPatient(template: Json, p: BenchPatient, key: string, timestamp: string, vary: (res: Record<string, unknown>) => void): string {
  const b = structuredClone(template);
  (b.identifier as { value: string }).value = `${BENCH_FACILITY_CODE}^2024^${key}`;
  b.timestamp = timestamp;
  for (const { resource } of b.entry) {
    if (resource.resourceType === "Patient") {
      const ids = resource.identifier as { system: string; value: string }[];
      for (const id of ids) {
        if (id.system.endsWith(BENCH_FACILITY_CODE)) id.value = p.localId;
        else if (id.system.endsWith("JP_Insurance_memberID")) id.value = `00012345:あいう:${p.insuredNumber}:01`;
      }
      resource.birthDate = p.birth;
      resource.gender = p.sex === "MALE" ? "male" : "female";
    }
    vary(resource);
  }
  return JSON.stringify(b);
}

export async function writeFhirFolder(dir: string, patients: BenchPatient[], seed = 3): Promise<number> {
  const load = async (f: string) => JSON.parse(await fs.readFile(path.join(CLINS, f), "utf8")) as Json;
  const [referral, observations] = await Promise.all([load("Bundle-Bundle-CLINS-Referral-Example-01.json"), load("Bundle-Bundle-CLINS-Observations-Example-01.json")]);
  const r = rng(seed);
  const varyQuantity = (res: Record<string, unknown>) => {
    const q = res.valueQuantity as { value?: number } | undefined;
    if (res.resourceType === "Observation" && typeof q?.value === "number") q.value = Math.round(q.value * (0.8 + r() * 0.4) * 10) / 10;
  };
  let files = 0;
  // a folder per 1,000 patients, as a facility's export would split them: no folder of 7,000 names
  for (const [i, p] of patients.entries()) {
    const sub = path.join(dir, pad(Math.floor(i / 1000), 3));
    if (i % 1000 === 0) await fs.mkdir(sub, { recursive: true });
    const writes = [fs.writeFile(path.join(sub, `${p.localId}-referral.json`), forPatient(referral, p, `${p.localId}-referral`, "2024-11-26T10:00:00+09:00", () => {}))];
    for (let k = 1; k <= OBSERVATION_BUNDLES; k++) {
      const stamp = `2024-${pad(k * 3, 2)}-${pad(1 + Math.floor(r() * 28), 2)}T10:00:00+09:00`;
      let n = 0;
      const vary = (res: Record<string, unknown>) => {
        varyQuantity(res);
        // each result its own identifier: the example gives its four Observations one, which the
        // importer rightly warns about (a facility's system numbers each result), so a bench made
        // from it as it is would time a warning on every Bundle
        if (res.resourceType === "Observation") for (const id of (res.identifier ?? []) as { value?: string }[]) id.value = `${BENCH_FACILITY_CODE}-${p.localId}-OBSLAB${k}-${++n}`;
      };
      writes.push(fs.writeFile(path.join(sub, `${p.localId}-obs${k}.json`), forPatient(observations, p, `${p.localId}-obs${k}`, stamp, vary)));
    }
    await Promise.all(writes);
    files += writes.length;
  }
  return files;
}
