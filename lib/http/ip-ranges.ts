import { BlockList, isIP } from "node:net";

/** A set of addresses and CIDR ranges (IPv4 and IPv6), e.g. the proxies allowed to forward a client's address. */
export interface IpRanges {
  has(address: string): boolean;
  /** as configured, for messages */
  readonly entries: readonly string[];
}

/**
 * An address as written by a socket or a proxy, in one form: without brackets or a port, and an
 * IPv4-mapped IPv6 address ("::ffff:10.0.0.1", what a dual-stack socket reports) as plain IPv4.
 * null when it is not an IP address at all.
 */
export function normaliseIp(raw: string): string | null {
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1]!;
  return isIP(s) ? s.toLowerCase() : null;
}

/**
 * Parses "10.0.0.1, 10.1.0.0/16 fd00::/8" (commas or spaces). Returns the first entry that is not an
 * address or a range with a valid prefix length, so configuration can name it.
 */
export function parseIpRanges(text: string): { ranges: IpRanges } | { invalid: string } {
  const entries = text.split(/[\s,]+/).filter(Boolean);
  const list = new BlockList();
  for (const entry of entries) {
    const [addr = "", prefix, extra] = entry.split("/");
    const ip = normaliseIp(addr);
    const family = ip ? (isIP(ip) === 6 ? "ipv6" : "ipv4") : null;
    if (!ip || !family || extra !== undefined) return { invalid: entry };
    if (prefix === undefined) {
      list.addAddress(ip, family);
      continue;
    }
    const bits = Number(prefix);
    if (!/^\d{1,3}$/.test(prefix) || bits > (family === "ipv6" ? 128 : 32)) return { invalid: entry };
    list.addSubnet(ip, bits, family);
  }
  return {
    ranges: {
      entries,
      has(address) {
        const ip = normaliseIp(address);
        return ip !== null && list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
      },
    },
  };
}
