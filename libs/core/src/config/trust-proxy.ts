import { isIP } from 'node:net';
import { ValidateBy } from 'class-validator';

/**
 * SERVE_TRUST_PROXY in the forms Express's `trust proxy` setting takes: a boolean, a number of hops, or
 * addresses, CIDR ranges and proxy-addr's names for whole ranges. `true` believes every hop of
 * X-Forwarded-For, which lets a client behind no proxy at all pick the address it is counted under; a hop
 * count or the proxies' own addresses believe only what the operator's proxies wrote.
 */
export type TrustProxy = boolean | number | string[];

/** proxy-addr's names: 127.0.0.1/8 and ::1; 169.254.0.0/16 and fe80::/10; 10/8, 172.16/12, 192.168/16 and fc00::/7. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** Whether an entry is an address, an address/prefix (CIDR) or one of proxy-addr's range names. */
function isTrustedProxyEntry(entry: string): boolean {
  if (RANGE_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Reads SERVE_TRUST_PROXY: `true`/`false`, a whole number of hops (`0` trusts none, as `false`), or a comma
 * list of addresses, CIDRs and range names. Throws a message naming what is wrong.
 */
export function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim();
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const bad = entries.filter((e) => !isTrustedProxyEntry(e));
  if (entries.length === 0 || bad.length > 0) {
    throw new Error(
      `"${bad.length > 0 ? bad.join(',') : raw}" is not true, false, a number of hops, or a comma list of addresses, CIDRs (10.0.0.0/8) and loopback, linklocal or uniquelocal`,
    );
  }
  return entries;
}

/** Validates a parsed TrustProxy (the loader parses it; this keeps a hand-built config honest). */
export function IsTrustProxy(): PropertyDecorator {
  return ValidateBy({
    name: 'isTrustProxy',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
        (Array.isArray(value) && value.length > 0 && value.every((e) => typeof e === 'string' && isTrustedProxyEntry(e))),
      defaultMessage: () => 'must be true, false, a number of hops, or a list of addresses and CIDRs',
    },
  });
}
