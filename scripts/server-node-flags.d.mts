// types for scripts/server-node-flags.mjs (imported by bench/http.ts)
export const SERVER_NODE_FLAGS: readonly string[];
