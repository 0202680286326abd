import { createLocalJWKSet, errors as joseErrors, JSONWebKeySet, JWTVerifyGetKey } from 'jose';
import { BoundedLru } from './bounded-lru';
import { OutboundFetchError } from './outbound-fetch.error';
import { OutboundHttpClient } from './outbound-http.client';

/** A key set or a sector document is small; 64 KiB holds dozens of RSA keys. */
export const MAX_REMOTE_DOCUMENT_BYTES = 64 * 1024;

export interface RemoteKeySetOptions {
  /** How many key sets the process keeps at most. */
  maxEntries: number;
  /** How many bytes of key sets (as fetched) the process keeps at most. */
  maxBytes: number;
  /** A key set older than this is fetched again before use. */
  refreshMs: number;
  /** However often callers ask (an unknown `kid`, a failed fetch), a URI is fetched at most once per this period. */
  refetchFloorMs: number;
  now: () => number;
}

const DEFAULTS: RemoteKeySetOptions = {
  maxEntries: 1_000,
  maxBytes: 8 * 1024 * 1024,
  refreshMs: 10 * 60_000,
  refetchFloorMs: 30_000,
  now: () => Date.now(),
};

interface Entry {
  getKey?: JWTVerifyGetKey;
  fetchedAt: number;
  attemptedAt: number;
  failure?: OutboundFetchError;
  pending?: Promise<JWTVerifyGetKey>;
}

/**
 * The key sets of clients' `jwks_uri`s (RFC 7591 §2), fetched through the outbound client and cached per
 * URI in a bounded LRU, so that registering many URIs cannot grow memory without end. A set is fetched
 * again after `refreshMs`, or sooner when an assertion names a `kid` it lacks (the client rotated its
 * keys), but never more often than once per `refetchFloorMs`, so that no caller can make Hydrant fetch in
 * a loop; a failed fetch is remembered for that period too. Verification itself stays with jose, on a
 * local copy of the fetched set.
 */
export class RemoteKeySetCache {
  private readonly options: RemoteKeySetOptions;
  private readonly sets: BoundedLru<string, Entry>;

  constructor(
    private readonly http: OutboundHttpClient,
    options: Partial<RemoteKeySetOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.sets = new BoundedLru(this.options.maxEntries, this.options.maxBytes);
  }

  /** jose's key resolver for the set at `uri`; it throws OutboundFetchError when the set cannot be had. */
  keySet(uri: string): JWTVerifyGetKey {
    return async (header, token) => {
      const getKey = await this.current(uri);
      try {
        return await getKey(header, token);
      } catch (e) {
        if (!(e instanceof joseErrors.JWKSNoMatchingKey)) throw e;
        const refetched = await this.refetch(uri);
        if (!refetched) throw e;
        return refetched(header, token);
      }
    };
  }

  private async current(uri: string): Promise<JWTVerifyGetKey> {
    const entry = this.entry(uri);
    if (entry.pending) return entry.pending;
    const now = this.options.now();
    if (entry.getKey && now - entry.fetchedAt < this.options.refreshMs) return entry.getKey;
    if (now - entry.attemptedAt < this.options.refetchFloorMs) {
      if (entry.failure) throw entry.failure;
      if (entry.getKey) return entry.getKey;
    }
    return this.fetch(uri, entry);
  }

  /** After an unknown `kid`: a fresh copy, or undefined when the floor forbids fetching again so soon. */
  private async refetch(uri: string): Promise<JWTVerifyGetKey | undefined> {
    const entry = this.entry(uri);
    if (entry.pending) return entry.pending;
    if (this.options.now() - entry.attemptedAt < this.options.refetchFloorMs) return undefined;
    return this.fetch(uri, entry);
  }

  private entry(uri: string): Entry {
    let entry = this.sets.get(uri);
    if (!entry) {
      entry = { fetchedAt: Number.NEGATIVE_INFINITY, attemptedAt: Number.NEGATIVE_INFINITY };
      this.sets.set(uri, entry);
    }
    return entry;
  }

  private fetch(uri: string, entry: Entry): Promise<JWTVerifyGetKey> {
    entry.attemptedAt = this.options.now();
    entry.pending = this.http
      .getJson(uri, MAX_REMOTE_DOCUMENT_BYTES, 'application/jwk-set+json, application/json')
      .then(({ json, size }) => {
        let getKey: JWTVerifyGetKey;
        try {
          getKey = createLocalJWKSet(json as JSONWebKeySet);
        } catch {
          throw new OutboundFetchError('the body is not a JSON Web Key Set');
        }
        entry.getKey = getKey;
        entry.fetchedAt = this.options.now();
        entry.failure = undefined;
        this.sets.set(uri, entry, size);
        return getKey;
      })
      .catch((e: unknown) => {
        // A set still within its refresh interval stays usable: a failed refetch for an unknown kid does not revoke it.
        entry.failure = e instanceof OutboundFetchError ? e : new OutboundFetchError(String(e));
        throw entry.failure;
      })
      .finally(() => {
        entry.pending = undefined;
      });
    return entry.pending;
  }
}
