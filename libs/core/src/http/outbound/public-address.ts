import { BlockList, isIP } from 'node:net';

/**
 * Whether an IP address is on the public Internet, for the private-address rule of outbound calls
 * (CLIENTS_HTTP_DISALLOW_PRIVATE_IP_RANGES). The ranges are IANA's special-purpose registries
 * (RFC 6890 and its updates): loopback, private (RFC 1918), shared/CGNAT (RFC 6598), link-local (the cloud
 * metadata address 169.254.169.254 among them), unspecified, documentation, benchmarking, multicast and
 * reserved space. An address that embeds an IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64) is refused too,
 * unless it is IPv4-mapped and its IPv4 address is public: each of those could reach a private host.
 */

/** https://www.iana.org/assignments/iana-ipv4-special-registry/ and RFC 5771 (multicast), RFC 1112 (240/4). */
const NON_PUBLIC_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // RFC 6598 shared address space (CGNAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['192.175.48.0', 24], // AS112 direct delegation
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the limited broadcast address
];

/** Only 2000::/3 is global unicast (RFC 4291 §2.4); within it, https://www.iana.org/assignments/iana-ipv6-special-registry/. */
const GLOBAL_UNICAST_V6: Array<[string, number]> = [['2000::', 3]];
const NON_PUBLIC_V6: Array<[string, number]> = [
  ['2001::', 23], // IETF protocol assignments: Teredo (2001::/32), benchmarking, ORCHID
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['3fff::', 20], // documentation
];
/** ::ffff:0:0/96; everything else outside 2000::/3 (::1, ::, fc00::/7, fe80::/10, ff00::/8, 64:ff9b::/96) is refused anyway. */
const IPV4_MAPPED: Array<[string, number]> = [['::ffff:0:0', 96]];

function blockList(ranges: Array<[string, number]>, family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, family);
  return list;
}

const nonPublicV4 = blockList(NON_PUBLIC_V4, 'ipv4');
const globalUnicastV6 = blockList(GLOBAL_UNICAST_V6, 'ipv6');
const nonPublicV6 = blockList(NON_PUBLIC_V6, 'ipv6');
const ipv4Mapped = blockList(IPV4_MAPPED, 'ipv6');

/** True only for an address on the public Internet; false for anything else, including a string that is no IP address. */
export function isPublicAddress(address: string): boolean {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  // A zone index (fe80::1%eth0) names an interface: link-local by definition.
  if (bare.includes('%')) return false;
  switch (isIP(bare)) {
    case 4:
      return !nonPublicV4.check(bare, 'ipv4');
    case 6:
      // BlockList matches an IPv4-mapped IPv6 address against IPv4 rules, so the mapped address is judged as IPv4.
      if (ipv4Mapped.check(bare, 'ipv6')) return !nonPublicV4.check(bare, 'ipv6');
      return globalUnicastV6.check(bare, 'ipv6') && !nonPublicV6.check(bare, 'ipv6');
    default:
      return false;
  }
}
