import { errors as joseErrors, exportJWK, generateKeyPair, JWK, jwtVerify, SignJWT } from 'jose';
import { OutboundFetchError } from './outbound-fetch.error';
import { OutboundHttpClient } from './outbound-http.client';
import { RemoteKeySetCache, RemoteKeySetOptions } from './remote-key-set.cache';

interface Key {
  kid: string;
  jwk: JWK;
  sign: () => Promise<string>;
}

async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  return { kid, jwk, sign: () => new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setExpirationTime('5m').sign(privateKey) };
}

/** A fake outbound client: serves what `documents` holds per URI (or fails), and counts the fetches. */
class FakeHttp {
  documents = new Map<string, unknown>();
  fetches: string[] = [];
  async getJson(uri: string): Promise<{ json: unknown; size: number }> {
    this.fetches.push(uri);
    const doc = this.documents.get(uri);
    if (doc === undefined) throw new OutboundFetchError('answered 404');
    return { json: doc, size: JSON.stringify(doc).length };
  }
}

describe('RemoteKeySetCache', () => {
  let http: FakeHttp;
  let now: number;
  const cache = (options: Partial<RemoteKeySetOptions> = {}) =>
    new RemoteKeySetCache(http as unknown as OutboundHttpClient, { refreshMs: 600_000, refetchFloorMs: 30_000, now: () => now, ...options });
  const verify = (keys: RemoteKeySetCache, uri: string, jwt: string) => jwtVerify(jwt, keys.keySet(uri));
  const URI = 'https://client.example/jwks';

  beforeEach(() => {
    http = new FakeHttp();
    now = 1_000_000;
  });

  it('fetches a set once, verifies with it, and fetches it again only after the refresh interval', async () => {
    const key = await newKey('k1');
    http.documents.set(URI, { keys: [key.jwk] });
    const keys = cache();
    await verify(keys, URI, await key.sign());
    await verify(keys, URI, await key.sign());
    expect(http.fetches).toHaveLength(1);
    now += 600_000;
    await verify(keys, URI, await key.sign());
    expect(http.fetches).toHaveLength(2);
  });

  it('fetches once for concurrent first uses', async () => {
    const key = await newKey('k1');
    http.documents.set(URI, { keys: [key.jwk] });
    const keys = cache();
    await Promise.all(Array.from({ length: 10 }, async () => verify(keys, URI, await key.sign())));
    expect(http.fetches).toHaveLength(1);
  });

  it('refetches for an unknown kid (a rotation), but at most once per floor however often it is asked', async () => {
    const old = await newKey('old');
    const rotated = await newKey('new');
    http.documents.set(URI, { keys: [old.jwk] });
    const keys = cache();
    await verify(keys, URI, await old.sign());
    now += 31_000;
    http.documents.set(URI, { keys: [old.jwk, rotated.jwk] });
    await verify(keys, URI, await rotated.sign());
    expect(http.fetches).toHaveLength(2);

    const stranger = await newKey('unknown');
    for (let i = 0; i < 50; i++) await expect(verify(keys, URI, await stranger.sign())).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
    expect(http.fetches).toHaveLength(2);
    now += 30_000;
    for (let i = 0; i < 50; i++) await expect(verify(keys, URI, await stranger.sign())).rejects.toBeInstanceOf(joseErrors.JWKSNoMatchingKey);
    expect(http.fetches).toHaveLength(3);
    // The known keys keep working throughout.
    await verify(keys, URI, await old.sign());
  });

  it('remembers a failed fetch for the floor, then tries again', async () => {
    const key = await newKey('k1');
    const keys = cache();
    for (let i = 0; i < 20; i++) await expect(verify(keys, URI, await key.sign())).rejects.toBeInstanceOf(OutboundFetchError);
    expect(http.fetches).toHaveLength(1);
    http.documents.set(URI, { keys: [key.jwk] });
    now += 30_000;
    await verify(keys, URI, await key.sign());
    expect(http.fetches).toHaveLength(2);
  });

  it('treats a document that is no key set as a failed fetch', async () => {
    const key = await newKey('k1');
    http.documents.set(URI, { not: 'a key set' });
    const error = await verify(cache(), URI, await key.sign()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundFetchError);
    expect((error as OutboundFetchError).detail).toMatch(/JSON Web Key Set/);
  });

  it('keeps a bounded number of sets: the least recently used is dropped and fetched again when needed', async () => {
    const key = await newKey('k1');
    const keys = cache({ maxEntries: 3 });
    const uris = ['a', 'b', 'c', 'd'].map((n) => `https://${n}.example/jwks`);
    for (const uri of uris) http.documents.set(uri, { keys: [key.jwk] });
    for (const uri of uris) await verify(keys, uri, await key.sign());
    expect(http.fetches).toEqual(uris);
    await verify(keys, uris[3], await key.sign());
    await verify(keys, uris[0], await key.sign());
    expect(http.fetches).toEqual([...uris, uris[0]]);
  });

  it('keeps a bounded number of bytes of sets', async () => {
    const key = await newKey('k1');
    const size = JSON.stringify({ keys: [key.jwk] }).length;
    const keys = cache({ maxBytes: size * 2 });
    const uris = ['a', 'b', 'c'].map((n) => `https://${n}.example/jwks`);
    for (const uri of uris) http.documents.set(uri, { keys: [key.jwk] });
    for (const uri of uris) await verify(keys, uri, await key.sign());
    await verify(keys, uris[2], await key.sign());
    await verify(keys, uris[0], await key.sign());
    expect(http.fetches).toEqual([...uris, uris[0]]);
  });
});
