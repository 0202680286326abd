import { isIPv4, isIPv6 } from 'node:net';

/**
 * The part of a source address that a limit counts. One host holds a whole IPv6 /64 (RFC 4291 §2.5.1,
 * RFC 7421), so an IPv6 address counts as its /64: otherwise each of its 2^64 addresses would get a fresh
 * budget. An IPv4-mapped IPv6 address counts as the IPv4 address. Anything else (no address Express
 * would give) counts as itself.
 */
export function sourceKey(address: string): string {
  const ip = address.replace(/%.*$/, '').toLowerCase(); // a zone index names an interface, not a host
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(ip)) return address;
  return `${ipv6Groups(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros ("::" expanded, a trailing IPv4 as two groups). */
function ipv6Groups(ip: string): string[] {
  const toGroups = (part: string): string[] => {
    if (part === '') return [];
    return part.split(':').flatMap((g) => {
      if (!g.includes('.')) return [g];
      const [a, b, c, d] = g.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  };
  const [head, tail] = ip.split('::');
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16));
}
