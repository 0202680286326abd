import { LookupAddress, LookupAllOptions, LookupOneOptions, lookup as dnsLookup } from 'node:dns';
import { isIP } from 'node:net';
import { OutboundFetchError } from './outbound-fetch.error';
import { isPublicAddress } from './public-address';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Hydra's CLIENTS_HTTP_DISALLOW_PRIVATE_IP_RANGES: when on, an outbound call may only connect to a public
 * address, unless its URL is one of CLIENTS_HTTP_PRIVATE_IP_EXCEPTION_URLS (an exact URL, or a prefix
 * ending in "/"). The check runs on the address the socket connects to (`lookup` below, which the agent
 * calls at connect time), so a name that resolves to a public address when registered and to a private one
 * when fetched (DNS rebinding) is refused all the same.
 */
export class PrivateAddressRule {
  private readonly exact = new Set<string>();
  private readonly prefixes: string[] = [];

  constructor(
    readonly enabled: boolean,
    exceptionUrls: readonly string[] = [],
  ) {
    for (const raw of exceptionUrls) {
      const href = normalized(raw);
      if (href === undefined) continue;
      if (raw.endsWith('/')) this.prefixes.push(href);
      else this.exact.add(href);
    }
  }

  /** Whether a call to `url` must connect to a public address only. */
  appliesTo(url: URL): boolean {
    if (!this.enabled) return false;
    const href = url.href;
    return !this.exact.has(href) && !this.prefixes.some((prefix) => href.startsWith(prefix));
  }

  /** Refuses a URL whose host is an IP literal that is not public: the socket connects to it without a lookup. */
  checkLiteralHost(url: URL): void {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (isIP(host) && !isPublicAddress(host)) throw new OutboundFetchError(`${host} is not a public address`);
  }

  /**
   * A `dns.lookup` for the agent that fails when any address of the name is not public: with several
   * addresses the connection may try each (happy eyeballs), so one private address is enough to refuse.
   */
  readonly lookup = (hostname: string, options: LookupOneOptions | LookupAllOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused) return callback(new OutboundFetchError(`${hostname} resolved to ${refused.address}, which is not a public address`), '');
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

function normalized(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}
