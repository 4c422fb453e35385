import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { normaliseIp, parseIpRanges, type IpRanges } from "../lib/http/ip-ranges";
import { PEER_HEADER, peerAddressOf, stampPeerAddresses } from "../lib/http/peer-address";
import { resolveClientAddress } from "../lib/auth/client-address";
import { parseEnv } from "../lib/env";

const ranges = (text: string): IpRanges => {
  const r = parseIpRanges(text);
  if (!("ranges" in r)) throw new Error(`invalid ${r.invalid}`);
  return r.ranges;
};
const NONE = ranges("");
const LB = ranges("10.0.0.0/24, fd00::1");

describe("the client address behind proxies (TSUNAGU_TRUSTED_PROXIES)", () => {
  it("ignores X-Forwarded-For from a peer that is not a trusted proxy; uses the socket address", () => {
    expect(resolveClientAddress("203.0.113.7", "198.51.100.1", NONE)).toBe("203.0.113.7");
    expect(resolveClientAddress("203.0.113.7", "198.51.100.1", LB)).toBe("203.0.113.7");
    expect(resolveClientAddress("203.0.113.7", undefined, LB)).toBe("203.0.113.7");
  });

  it("believes the address a trusted proxy forwarded (twin)", () => {
    expect(resolveClientAddress("10.0.0.5", "198.51.100.1", LB)).toBe("198.51.100.1");
    expect(resolveClientAddress("fd00::1", "2001:db8::9", LB)).toBe("2001:db8::9");
  });

  it("walks several hops right to left, skipping trusted proxies; what the client wrote to the left is not believed", () => {
    // client claims 1.1.1.1; the outer proxy 10.0.0.2 appended the real client; the inner one 10.0.0.5 is the peer
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, 198.51.100.1, 10.0.0.2", LB)).toBe("198.51.100.1");
    // a hop that is not ours in the middle: it is the client as far as we can tell
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, 192.0.2.44", LB)).toBe("192.0.2.44");
    // only trusted hops: the leftmost one
    expect(resolveClientAddress("10.0.0.5", "10.0.0.9", LB)).toBe("10.0.0.9");
    // a trusted proxy forwarding something that is no address: stop at the proxy
    expect(resolveClientAddress("10.0.0.5", "1.1.1.1, unknown", LB)).toBe("10.0.0.5");
  });

  it("reads addresses in one form: IPv4-mapped IPv6, brackets and ports", () => {
    expect(resolveClientAddress("::ffff:10.0.0.5", "198.51.100.1:4431", LB)).toBe("198.51.100.1");
    expect(normaliseIp("[2001:DB8::1]:443")).toBe("2001:db8::1");
    expect(resolveClientAddress(null, "198.51.100.1", LB)).toBeNull();
  });

  it("configuration: a list of addresses and ranges; anything else stops the server naming the entry", () => {
    expect(parseEnv({ TSUNAGU_TRUSTED_PROXIES: "10.0.0.1 10.1.0.0/16,fd00::/8" }).TSUNAGU_TRUSTED_PROXIES.has("10.1.200.3")).toBe(true);
    expect(parseEnv({}).TSUNAGU_TRUSTED_PROXIES.entries).toEqual([]);
    expect(() => parseEnv({ TSUNAGU_TRUSTED_PROXIES: "10.0.0.1, 10.0.0.0/33" })).toThrow(/TSUNAGU_TRUSTED_PROXIES .*"10\.0\.0\.0\/33"/);
    expect(() => parseEnv({ TSUNAGU_TRUSTED_PROXIES: "proxy.local" })).toThrow(/IP addresses or CIDR ranges/);
  });
});

describe("the socket peer reaches route handlers (lib/http/peer-address)", () => {
  it("overwrites a peer header the client sent with the socket's address; a header without this process's token is not believed", async () => {
    stampPeerAddresses();
    const server = http.createServer((req, res) => res.end(JSON.stringify({ peer: peerAddressOf(req.headers), raw: req.headers[PEER_HEADER] })));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "guess 198.51.100.1", "x-forwarded-for": "198.51.100.1" } });
      const body = (await res.json()) as { peer: string; raw: string };
      expect(body.peer).toBe("127.0.0.1");
      expect(body.raw).not.toContain("198.51.100.1");
    } finally {
      server.close();
    }
    expect(peerAddressOf({ [PEER_HEADER]: "guess 198.51.100.1" })).toBeNull();
  });
});
