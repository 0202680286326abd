import { generateKeyPairSync } from 'node:crypto';
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK, JWK } from 'jose';
import { OAuth2Error } from '../errors';
import { importOperatorJwk, JsonWebKeyInput } from './jwk-import';
import { GENERATABLE_ALGS, GeneratableAlg } from './key-sets';

/** A freshly generated key pair as JWKs (no kid/alg/use yet). */
async function pairOf(alg: GeneratableAlg): Promise<{ publicJwk: JWK; privateJwk: JWK }> {
  const rsa = alg.startsWith('RS') || alg.startsWith('PS');
  const pair = await generateKeyPair(alg, { extractable: true, ...(rsa ? { modulusLength: 2048 } : {}) });
  return { publicJwk: await exportJWK(pair.publicKey), privateJwk: await exportJWK(pair.privateKey) };
}

async function expectMalformed(promise: Promise<unknown>, hint: RegExp): Promise<OAuth2Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected the import to be refused');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuth2Error);
  const oauth = error as OAuth2Error;
  expect(oauth.error).toBe('invalid_request');
  expect(oauth.statusCode).toBe(400);
  expect(oauth.hint).toMatch(hint);
  return oauth;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'];

describe('importOperatorJwk', () => {
  let es256: { publicJwk: JWK; privateJwk: JWK };
  let rs256: { publicJwk: JWK; privateJwk: JWK };

  beforeAll(async () => {
    es256 = await pairOf('ES256');
    rs256 = await pairOf('RS256');
  });

  describe('accepts', () => {
    it.each(GENERATABLE_ALGS.map((alg) => [alg]))('a %s key pair, and the private part it returns signs for the public part', async (alg) => {
      const { privateJwk } = await pairOf(alg);
      const imported = await importOperatorJwk({ ...(privateJwk as JsonWebKeyInput), kid: `k-${alg}`, alg });

      expect(imported).toMatchObject({ kid: `k-${alg}`, alg, use: 'sig' });
      expect(imported.publicJwk).toMatchObject({ kid: `k-${alg}`, alg, use: 'sig', kty: privateJwk.kty });
      for (const m of PRIVATE_MEMBERS) expect(imported.publicJwk).not.toHaveProperty(m);
      expect(imported.privateJwk).not.toBeNull();
      expect(imported.privateJwk).toHaveProperty('d', privateJwk.d);

      const jws = await new CompactSign(new TextEncoder().encode('probe'))
        .setProtectedHeader({ alg })
        .sign(await importJWK(imported.privateJwk as JWK, alg));
      const { payload } = await compactVerify(jws, await importJWK(imported.publicJwk, alg));
      expect(new TextDecoder().decode(payload)).toBe('probe');
    });

    it('a public key alone, with no private part', async () => {
      const imported = await importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 'pub', alg: 'ES256' });
      expect(imported.privateJwk).toBeNull();
      expect(imported.publicJwk).toEqual({ ...es256.publicJwk, kid: 'pub', alg: 'ES256', use: 'sig' });
    });

    it('"use": "enc" and keeps it', async () => {
      const imported = await importOperatorJwk({ ...(es256.privateJwk as JsonWebKeyInput), kid: 'enc-key', alg: 'ES256', use: 'enc' });
      expect(imported.use).toBe('enc');
      expect(imported.publicJwk.use).toBe('enc');
      expect(imported.privateJwk?.use).toBe('enc');
    });

    it('a key without "kid" when the path names it, and a body kid equal to the path kid', async () => {
      const fromPath = await importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), alg: 'ES256' }, 'from-path');
      expect(fromPath.kid).toBe('from-path');
      expect(fromPath.publicJwk.kid).toBe('from-path');
      const same = await importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 'same', alg: 'ES256' }, 'same');
      expect(same.kid).toBe('same');
    });

    it('a "kid" of exactly 255 characters', async () => {
      const kid = 'k'.repeat(255);
      await expect(importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid, alg: 'ES256' })).resolves.toMatchObject({ kid });
    });
  });

  it('strips non-standard members from both the public and the private JWK', async () => {
    const input = {
      ...rs256.privateJwk,
      kid: 'strip',
      alg: 'RS256',
      ext: true,
      key_ops: ['sign'],
      k: 'c3ltbWV0cmlj',
      oth: [],
      foo: 'bar',
      x5c: ['MIIB'],
    } as unknown as JsonWebKeyInput;
    const imported = await importOperatorJwk(input);

    expect(Object.keys(imported.publicJwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use', 'x5c'].sort());
    expect(Object.keys(imported.privateJwk as JWK).sort()).toEqual(
      ['alg', 'd', 'dp', 'dq', 'e', 'kid', 'kty', 'n', 'p', 'q', 'qi', 'use', 'x5c'].sort(),
    );
    for (const jwk of [imported.publicJwk, imported.privateJwk as JWK]) {
      for (const m of ['ext', 'key_ops', 'k', 'oth', 'foo']) expect(jwk).not.toHaveProperty(m);
    }
  });

  it('lets the checked kid/alg/use win over whatever else the body carries', async () => {
    const imported = await importOperatorJwk({ ...(es256.privateJwk as JsonWebKeyInput), kid: 'meta', alg: 'ES256' });
    expect(imported.publicJwk).toMatchObject({ kid: 'meta', alg: 'ES256', use: 'sig' });
    expect(imported.privateJwk).toMatchObject({ kid: 'meta', alg: 'ES256', use: 'sig' });
  });

  describe('refuses', () => {
    it('a key without a kid, or with an empty or non-string kid', async () => {
      await expectMalformed(importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), alg: 'ES256' }), /needs a "kid"/);
      await expectMalformed(importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: '', alg: 'ES256' }), /needs a "kid"/);
      await expectMalformed(
        importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 42 as unknown as string, alg: 'ES256' }),
        /needs a "kid"/,
      );
    });

    it('a kid longer than 255 characters', async () => {
      await expectMalformed(importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 'k'.repeat(256), alg: 'ES256' }), /at most 255/);
    });

    it('a body kid that contradicts the path kid', async () => {
      await expectMalformed(
        importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 'body', alg: 'ES256' }, 'path'),
        /"kid" of the key \("body"\) does not match the "kid" in the path \("path"\)/,
      );
    });

    it.each([['HS256'], ['none'], ['RS1'], ['es256'], [undefined]])('the unknown or unsupported alg %p', async (alg) => {
      await expectMalformed(importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 'a', alg }), /"alg" of key "a" must be one of/);
    });

    it.each([['foo'], ['SIG'], ['']])('the unknown use %p', async (use) => {
      await expectMalformed(importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 'u', alg: 'ES256', use }), /"use" of key "u" must be "sig" or "enc"/);
    });

    it('symmetric keys, whether they name a symmetric alg or pretend to be asymmetric', async () => {
      const k = Buffer.alloc(32, 7).toString('base64url');
      await expectMalformed(importOperatorJwk({ kty: 'oct', k, kid: 'hs', alg: 'HS256' } as JsonWebKeyInput), /must be one of/);
      await expectMalformed(importOperatorJwk({ kty: 'oct', k, kid: 'oct-rs', alg: 'RS256' } as JsonWebKeyInput), /not a valid RS256 key/);
      await expectMalformed(importOperatorJwk({ kty: 'oct', k, kid: 'oct-ed', alg: 'EdDSA' } as JsonWebKeyInput), /not a valid EdDSA key/);
    });

    it('RSA keys shorter than 2048 bits, public or private', async () => {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      const pub = publicKey.export({ format: 'jwk' }) as JsonWebKeyInput;
      const priv = privateKey.export({ format: 'jwk' }) as JsonWebKeyInput;
      await expectMalformed(importOperatorJwk({ ...pub, kid: 'short', alg: 'RS256' }), /RSA key shorter than 2048 bits/);
      await expectMalformed(importOperatorJwk({ ...priv, kid: 'short', alg: 'PS256' }), /RSA key shorter than 2048 bits/);
    });

    it('malformed key material', async () => {
      const cases: JsonWebKeyInput[] = [
        { kid: 'no-kty', alg: 'ES256', x: es256.publicJwk.x, y: es256.publicJwk.y },
        { kty: 'EC', kid: 'no-x', alg: 'ES256', crv: 'P-256', y: es256.publicJwk.y },
        { kty: 'EC', kid: 'bad-x', alg: 'ES256', crv: 'P-256', x: 'not*base64url', y: es256.publicJwk.y },
        { kty: 'EC', kid: 'off-curve', alg: 'ES256', crv: 'P-256', x: es256.publicJwk.x, y: Buffer.alloc(32, 1).toString('base64url') },
        { kty: 'RSA', kid: 'no-e', alg: 'RS256', n: rs256.publicJwk.n },
        { kty: 'OKP', kid: 'bad-okp', alg: 'EdDSA', crv: 'Ed25519', x: 'AAAA' },
      ];
      for (const input of cases) {
        const error = await expectMalformed(importOperatorJwk(input), new RegExp(`Key "${input.kid}" is not a valid ${input.alg} key`));
        expect(typeof error.debug).toBe('string');
      }
    });

    it('a key whose type does not fit its alg', async () => {
      await expectMalformed(importOperatorJwk({ ...(rs256.publicJwk as JsonWebKeyInput), kid: 'rsa-as-es', alg: 'ES256' }), /not a valid ES256 key/);
      await expectMalformed(importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), kid: 'p256-as-es384', alg: 'ES384' }), /not a valid ES384 key/);
    });

    it('a private part that does not belong to the public part (EC, RSA, EdDSA)', async () => {
      const otherEc = await pairOf('ES256');
      await expectMalformed(
        importOperatorJwk({ ...(es256.publicJwk as JsonWebKeyInput), d: otherEc.privateJwk.d, kid: 'mixed-ec', alg: 'ES256' }),
        /Key "mixed-ec" is not a valid ES256 key/,
      );

      const otherRsa = await pairOf('RS256');
      const rsaPrivate = Object.fromEntries(PRIVATE_MEMBERS.map((m) => [m, (otherRsa.privateJwk as Record<string, unknown>)[m]]));
      await expectMalformed(
        importOperatorJwk({ ...(rs256.publicJwk as JsonWebKeyInput), ...rsaPrivate, kid: 'mixed-rsa', alg: 'RS256' }),
        /Key "mixed-rsa" is not a valid RS256 key/,
      );

      const ed = await pairOf('EdDSA');
      const otherEd = await pairOf('EdDSA');
      await expectMalformed(
        importOperatorJwk({ ...(ed.publicJwk as JsonWebKeyInput), d: otherEd.privateJwk.d, kid: 'mixed-ed', alg: 'EdDSA' }),
        /Key "mixed-ed" is not a valid EdDSA key/,
      );
    });
  });
});
