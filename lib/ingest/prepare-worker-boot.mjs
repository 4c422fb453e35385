// The entry of a prepare worker (lib/ingest/prepare-pool.ts). A worker thread does not inherit the
// TypeScript loader the command runs under (tsx), so it registers it before loading the worker.
import { register } from "tsx/esm/api";

register();
await import("./prepare-worker.ts");
