// The V8 heap settings the app server runs with: `npm start` / `npm run dev` (scripts/start.mjs) and the
// bench and soak servers (bench/http.ts), so that what is measured is what is shipped.
//
// Neither is a cap: the heap still grows to whatever the live data needs. Measured on the 統合ビュー with
// the same build started with and without each flag, requests alternated between them (issue 17; a
// loaded 2-core machine, so the pause times are long but their ratios hold):
// - --max-semi-space-size=32 (MiB; Node 20's young generation tops out at 16): a page view allocates a
//   few MB that die when it is answered. With 16 MiB semi-spaces a view in flight lived through several
//   young-generation collections, each copying it, and was then promoted to the old generation, where
//   only a full collection frees it. At 4 connections: garbage-collection pauses per view 16.9 → 11.4 ms,
//   peak RSS 450 → 354 MiB.
// - --heap-growing-percent=100: after a full collection V8 lets the old generation grow to up to 4×
//   what survived before it collects again. About 100 MB survive under load, so most of the heap (and
//   of the 1,187 MiB RSS the bench measured at 32 connections) was garbage waiting. 100 % lets it grow
//   to 2× the survivors: full collections come sooner, each finds the same live data, and their marking
//   runs beside the server. At 32 connections: peak RSS 467 → 378 MiB; at 4, pauses per view 16.9 → 13.1 ms.
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32", "--heap-growing-percent=100"];
