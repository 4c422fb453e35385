import { randomBytes } from "node:crypto";
import { subscribe } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

/**
 * The address of the TCP peer of a request, carried to route handlers. Next.js gives a route handler
 * no socket, and it fills `X-Forwarded-For` with the socket address only when the client sent none,
 * so that header cannot tell a client's claim from the truth. Node publishes every incoming request
 * on the `http.server.request.start` diagnostics channel before any handler runs; the subscriber
 * writes the socket's address into PEER_HEADER, overwriting whatever the client sent.
 *
 * The header's value carries a random token of this process, so a client that sends the header
 * itself (to a server where the subscriber is somehow not installed) is not believed either.
 * Kept on globalThis: instrumentation and each route bundle may load their own copy of this module.
 */
export const PEER_HEADER = "x-tsunagu-peer";

const g = globalThis as { __tsunaguPeerStamp?: { token: string; installed: boolean } };
const stamp = () => (g.__tsunaguPeerStamp ??= { token: randomBytes(16).toString("hex"), installed: false });

/** Starts stamping requests of every HTTP server in this process (once; called at server start). */
export function stampPeerAddresses(): void {
  const s = stamp();
  if (s.installed) return;
  s.installed = true;
  subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const address = socket.remoteAddress;
    if (address) request.headers[PEER_HEADER] = `${s.token} ${address}`;
    else delete request.headers[PEER_HEADER];
  });
}

/** The stamped peer address of a request's headers, or null when there is no genuine stamp. */
export function peerAddressOf(headers: Record<string, string | string[] | undefined>): string | null {
  const value = headers[PEER_HEADER];
  if (typeof value !== "string") return null;
  const [token, address] = value.split(" ");
  return token === stamp().token && address ? address : null;
}
