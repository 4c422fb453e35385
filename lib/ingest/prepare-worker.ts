import { parentPort } from "node:worker_threads";
import { loadProfiles } from "../interop/fhir/fhir-packages";
import { prepareFhirRead, type PrepareRequest, type PrepareAnswer } from "./fhir-prepare";

/**
 * A prepare worker (lib/ingest/prepare-pool.ts): reads and checks the FHIR documents it is sent,
 * with no database, and answers each with what fileFhirDocument files. The profiles are loaded once,
 * before the first document.
 */
loadProfiles();
parentPort!.on("message", (m: PrepareRequest) => {
  const answer: PrepareAnswer = { id: m.id, prepared: prepareFhirRead(m.source, m.read, m.shownAs) };
  parentPort!.postMessage(answer);
});
