import { env } from "../env";
import { normaliseIp, type IpRanges } from "../http/ip-ranges";
import { peerAddressOf } from "../http/peer-address";

/**
 * The client's address, for the per-address login limit and the session list. `X-Forwarded-For` is
 * anyone's to write, so it is believed only as far as it was written by a configured proxy: starting
 * from the socket's peer and walking the header right to left, every hop that is a trusted proxy
 * passes us on to the address it says it received the request from; the first hop that is not a
 * trusted proxy is the client. A client talking to us directly (an untrusted peer) is its own
 * address, whatever header it sends.
 *
 * null when the peer is unknown (no socket address reached us): then nothing can be believed.
 */
export function resolveClientAddress(peer: string | null, forwardedFor: string | null | undefined, trusted: IpRanges): string | null {
  let client = peer === null ? null : normaliseIp(peer);
  if (client === null) return null;
  const hops = (forwardedFor ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  while (trusted.has(client) && hops.length > 0) {
    const next = normaliseIp(hops.pop()!);
    // A trusted proxy that forwarded something that is no address: stop at the proxy itself.
    if (next === null) break;
    client = next;
  }
  return client;
}

/** The client address of a request, from its headers as next-auth hands them to `authorize`. */
export function clientAddressOf(headers: Record<string, string | string[] | undefined> | undefined): string | null {
  if (!headers) return null;
  const fwd = headers["x-forwarded-for"];
  return resolveClientAddress(peerAddressOf(headers), Array.isArray(fwd) ? fwd.join(",") : fwd, env().TSUNAGU_TRUSTED_PROXIES);
}
