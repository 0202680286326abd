import { createHash } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a request comes from, as the rate limits (registration, failed client authentication) count it. An IPv4 source is one
 * address; an IPv6 source is its /64, because a single subscriber is handed at least a /64 (RFC 6177,
 * RFC 8273) and may send from any of its 2^64 addresses, each of which would otherwise get a fresh budget.
 * An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`, as a dual-stack socket reports IPv4 peers) counts as
 * the IPv4 address it carries.
 */
export function sourceNetwork(address: string): string {
  const ip = address.trim().replace(/%.*$/, ''); // a zone index (fe80::1%eth0) names an interface, not a host
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return opaqueSource(address);
  const groups = ipv6Groups(ip);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * Behind a trusted proxy the address is whatever `X-Forwarded-For` said; a value that is no address
 * still counts on its own, under a digest so that a long header cannot outgrow the bucket column.
 */
function opaqueSource(address: string): string {
  return `unparsed:${createHash('sha256').update(address).digest('base64url')}`;
}

/** The eight 16-bit groups of a valid IPv6 address, `::` expanded and a dotted IPv4 tail folded in. */
function ipv6Groups(ip: string): number[] {
  let text = ip;
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const [a, b, c, d] = tail.slice(1).map(Number);
    text = `${text.slice(0, tail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const [head, rest] = text.split('::');
  if (rest === undefined) return parse(head);
  const front = parse(head);
  const back = parse(rest);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}
