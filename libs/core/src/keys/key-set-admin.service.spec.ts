import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { exportJWK, generateKeyPair, importJWK, JWK, jwtVerify, SignJWT } from 'jose';
import { DataSource } from 'typeorm';
import { OAuth2Error } from '../errors';
import { openMigratedDataSource } from '../../../../test/support/test-database';
import { finalizeSqliteStatements } from '../persistence/sqlite-statements';
import { TransactionRunner } from '../persistence/transaction.runner';
import { JsonWebKeyInput } from './jwk-import';
import { JwkStore } from './jwk.store';
import { KeyEncryption } from './key-encryption';
import { KeySetAdminService } from './key-set-admin.service';
import { KeySetService } from './key-set.service';
import { GENERATABLE_ALGS, GeneratableAlg, KEY_SETS } from './key-sets';
import { openStores } from '../stores';

let dataSource: DataSource;
let jwks: JwkStore;
let encryption: KeyEncryption;
let transactions: TransactionRunner;
let keySets: KeySetService;
let admin: KeySetAdminService;
let setCounter = 0;

/** A set name no other test uses. */
const freshSet = (label: string) => `test.${label}.${++setCounter}`;

/** An operator's key: private unless `publicOnly`. */
async function operatorKey(kid: string, alg: GeneratableAlg = 'ES256', options: { publicOnly?: boolean; use?: 'sig' | 'enc' } = {}): Promise<JsonWebKeyInput> {
  const rsa = alg.startsWith('RS') || alg.startsWith('PS');
  const pair = await generateKeyPair(alg, { extractable: true, ...(rsa ? { modulusLength: 2048 } : {}) });
  const jwk = await exportJWK(options.publicOnly ? pair.publicKey : pair.privateKey);
  return { ...(jwk as JsonWebKeyInput), kid, alg, ...(options.use ? { use: options.use } : {}) };
}

async function caught(promise: Promise<unknown>): Promise<OAuth2Error> {
  const error = await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OAuth2Error);
  return error as OAuth2Error;
}

const kidsOf = (view: { keys: JWK[] }) => view.keys.map((k) => k.kid);
const storedKids = async (setId: string) => (await jwks.findSet(setId)).map((k) => k.kid);

/** Distinct creation times: the newest key of a set signs, and keys are stamped in milliseconds. */
const tick = () => sleep(3);

beforeAll(async () => {
  ({ dataSource } = await openMigratedDataSource('sqlite'));
  jwks = openStores(dataSource).jwks;
  encryption = new KeyEncryption(['a-system-secret-0123456789']);
  transactions = new TransactionRunner(dataSource);
  keySets = new KeySetService(jwks, encryption, transactions);
  admin = new KeySetAdminService(keySets, jwks, encryption, transactions);
});

afterAll(async () => {
  await finalizeSqliteStatements(dataSource);
  if (dataSource?.isInitialized) await dataSource.destroy();
});

describe('KeySetService', () => {
  it.each(GENERATABLE_ALGS.map((alg) => [alg]))('generates a %s key that signs tokens its public keys verify', async (alg) => {
    const setId = freshSet(`gen-${alg}`);
    const stored = await keySets.addKey(setId, alg);

    expect(stored).toMatchObject({ setId, alg, use: 'sig' });
    expect(stored.kid).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.publicJwk).toMatchObject({ kid: stored.kid, alg, use: 'sig' });
    expect(stored.publicJwk).not.toHaveProperty('d');
    expect(stored.privateJwkJwe).toEqual(expect.any(String));
    expect(stored.privateJwkJwe).not.toContain('"d"');

    const privateJwk = await keySets.privateJwk(stored);
    expect(privateJwk).toMatchObject({ kid: stored.kid, alg, use: 'sig', d: expect.any(String) });
    if (alg.startsWith('RS') || alg.startsWith('PS')) {
      expect(Buffer.from(String(stored.publicJwk.n), 'base64url').length * 8).toBe(2048);
    }

    const signing = await keySets.signingKey(setId);
    expect(signing).toMatchObject({ kid: stored.kid, alg });
    const jwt = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg, kid: signing.kid }).sign(signing.key);
    const { payload } = await jwtVerify(jwt, await keySets.verificationKeySet(setId));
    expect(payload.sub).toBe('alice');
    expect(await keySets.publicKeys(setId)).toEqual([stored.publicJwk]);
  });

  it('addKey makes the new key the signing key and keeps the older ones in publicKeys', async () => {
    const setId = freshSet('rotate');
    // kids whose alphabetical order is the reverse of their age, so that only the creation time decides
    const first = await keySets.addKey(setId, 'ES256', { kid: 'z-first' });
    expect((await keySets.signingKey(setId)).kid).toBe('z-first');
    await tick();
    const second = await keySets.addKey(setId, 'ES256', { kid: 'a-second' });

    expect((await keySets.signingKey(setId)).kid).toBe('a-second');
    expect((await keySets.publicKeys(setId)).map((k) => k.kid)).toEqual(['a-second', 'z-first']);

    // a token signed before the rotation still verifies
    const oldJwt = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: first.kid }).sign(await importJWK((await keySets.privateJwk(first)) as JWK, 'ES256'));
    await expect(jwtVerify(oldJwt, await keySets.verificationKeySet(setId))).resolves.toBeDefined();
    expect(second.kid).toBe('a-second');
  });

  it('signs only with keys that have a private part and use "sig"', async () => {
    const setId = freshSet('sign-choice');
    await keySets.addKey(setId, 'ES256', { kid: 'signer' });
    await tick();
    await keySets.addKey(setId, 'ES256', { kid: 'encrypter', use: 'enc' });
    await tick();
    const pub = await operatorKey('public-only', 'ES256', { publicOnly: true });
    await jwks.insert({ setId, kid: 'public-only', alg: 'ES256', use: 'sig', publicJwk: pub as Record<string, unknown>, privateJwkJwe: null, createdAt: new Date() });

    expect((await keySets.signingKey(setId)).kid).toBe('signer');
    expect((await keySets.publicKeys(setId)).map((k) => k.kid)).toEqual(['public-only', 'encrypter', 'signer']);
  });

  it('refuses to sign for a set without a private signing key, and does not cache the failure', async () => {
    const setId = freshSet('no-signer');
    await expect(keySets.signingKey(setId)).rejects.toThrow(`key set "${setId}" has no private signing key`);
    await jwks.insert(await keySets.addKey(freshSet('donor'), 'ES256').then((k) => ({ ...k, setId })));
    // nothing of the failure is kept: the key inserted behind the service's back is found
    await expect(keySets.signingKey(setId)).resolves.toMatchObject({ alg: 'ES256' });
  });

  it('uses and publishes a key another process added at its next use, and keeps its own work while the keys stay the same', async () => {
    const setId = freshSet('current');
    await keySets.addKey(setId, 'ES256', { kid: 'current-old' });
    const signerBefore = await keySets.signingKey(setId);
    expect(signerBefore.kid).toBe('current-old');
    expect(await keySets.signingKey(setId)).toBe(signerBefore);
    const verifierBefore = await keySets.verificationKeySet(setId);
    expect(await keySets.verificationKeySet(setId)).toBe(verifierBefore);

    // a key added by another process: straight into the database
    await tick();
    const other = new KeySetService(jwks, encryption, transactions);
    const added = await other.addKey(setId, 'ES256', { kid: 'added-elsewhere' });
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: added.kid }).sign((await other.signingKey(setId)).key);

    expect((await keySets.signingKey(setId)).kid).toBe('added-elsewhere');
    expect((await keySets.publicKeys(setId)).map((k) => k.kid)).toEqual(['added-elsewhere', 'current-old']);
    const verifierAfter = await keySets.verificationKeySet(setId);
    expect(verifierAfter).not.toBe(verifierBefore);
    await expect(jwtVerify(jwt, verifierAfter)).resolves.toBeDefined();

    // deleted by the other process: it signs no more here, and is no longer published
    await jwks.deleteKey(setId, 'added-elsewhere');
    expect((await keySets.signingKey(setId)).kid).toBe('current-old');
    expect((await keySets.publicKeys(setId)).map((k) => k.kid)).toEqual(['current-old']);
    await expect(jwtVerify(jwt, await keySets.verificationKeySet(setId))).rejects.toThrow();
  });

  it('loads a key replaced under the same kid again', async () => {
    const setId = freshSet('replaced');
    const first = await keySets.addKey(setId, 'ES256', { kid: 'same-kid' });
    const before = await keySets.signingKey(setId);
    const replacement = await new KeySetService(jwks, encryption, transactions).addKey(freshSet('donor-2'), 'ES256', { kid: 'same-kid' });
    await jwks.upsert({ ...replacement, setId, createdAt: first.createdAt });
    const after = await keySets.signingKey(setId);
    expect(after.kid).toBe('same-kid');
    expect(after).not.toBe(before);
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'same-kid' }).sign(after.key);
    await expect(jwtVerify(jwt, await keySets.verificationKeySet(setId))).resolves.toBeDefined();
  });

  it('ensureSet creates one first key and leaves a set that has keys alone', async () => {
    const setId = freshSet('ensure');
    await Promise.all([keySets.ensureSet(setId, 'RS256'), keySets.ensureSet(setId, 'RS256')]);
    const stored = await jwks.findSet(setId);
    expect(stored).toHaveLength(1);
    expect(stored[0].alg).toBe('RS256');
    await keySets.ensureSet(setId, 'ES256');
    expect(await storedKids(setId)).toEqual([stored[0].kid]);
  });

  it('refuses a duplicate kid in a set', async () => {
    const setId = freshSet('dup');
    await keySets.addKey(setId, 'ES256', { kid: 'same' });
    await expect(keySets.addKey(setId, 'ES256', { kid: 'same' })).rejects.toThrow(/conflict.*already has a key with kid "same"/);
    expect(await storedKids(setId)).toEqual(['same']);
  });
});

describe('KeySetAdminService', () => {
  describe('create', () => {
    it('generates a key, answers with it alone (private part included) and makes it the signing key', async () => {
      const setId = freshSet('create');
      await keySets.addKey(setId, 'ES256', { kid: 'older' });
      expect((await keySets.signingKey(setId)).kid).toBe('older'); // cached now
      await tick();

      const view = await admin.create(setId, { alg: 'EdDSA', kid: 'newer', use: 'sig' });
      expect(view.keys).toHaveLength(1);
      expect(view.keys[0]).toMatchObject({ kid: 'newer', alg: 'EdDSA', use: 'sig', kty: 'OKP', crv: 'Ed25519', d: expect.any(String), x: expect.any(String) });

      expect((await keySets.signingKey(setId)).kid).toBe('newer');
      expect(await storedKids(setId)).toEqual(['newer', 'older']);
    });

    it('chooses a kid and "sig" when they are empty, and honours "enc"', async () => {
      const setId = freshSet('create-defaults');
      const chosen = await admin.create(setId, { alg: 'ES384', kid: '', use: '' });
      expect(chosen.keys[0].kid).toMatch(/^[0-9a-f-]{36}$/);
      expect(chosen.keys[0].use).toBe('sig');
      const enc = await admin.create(setId, { alg: 'ES256', use: 'enc' });
      expect(enc.keys[0].use).toBe('enc');
      expect((await jwks.findKey(setId, enc.keys[0].kid as string))?.use).toBe('enc');
    });

    it.each([['HS256'], ['HS512'], ['none'], ['']])('refuses the alg %p and stores nothing', async (alg) => {
      const setId = freshSet('create-alg');
      const error = await caught(admin.create(setId, { alg }));
      expect(error).toMatchObject({ error: 'invalid_request', statusCode: 400 });
      expect(error.hint).toMatch(/Unknown "alg"/);
      expect(await storedKids(setId)).toEqual([]);
    });

    it('refuses an empty or overlong set name and an overlong kid', async () => {
      expect(await caught(admin.create('', { alg: 'ES256' }))).toMatchObject({ error: 'invalid_request', hint: expect.stringMatching(/1 to 255/) });
      expect(await caught(admin.create('s'.repeat(256), { alg: 'ES256' }))).toMatchObject({ error: 'invalid_request' });
      const setId = freshSet('create-kid');
      expect(await caught(admin.create(setId, { alg: 'ES256', kid: 'k'.repeat(256) }))).toMatchObject({ error: 'invalid_request', hint: expect.stringMatching(/at most 255/) });
      expect(await storedKids(setId)).toEqual([]);
    });

    it('answers 409 for a kid the set already has', async () => {
      const setId = freshSet('create-conflict');
      await admin.create(setId, { alg: 'ES256', kid: 'taken' });
      const error = await caught(admin.create(setId, { alg: 'ES256', kid: 'taken' }));
      expect(error).toMatchObject({ error: 'conflict', statusCode: 409 });
      expect(error.hint).toContain('"taken"');
      expect(await storedKids(setId)).toEqual(['taken']);
    });
  });

  describe('get', () => {
    it('answers every key of a set, newest first, with private parts where held', async () => {
      const setId = freshSet('get');
      const pub = await operatorKey('pub', 'ES256', { publicOnly: true });
      const priv = await operatorKey('priv', 'RS256');
      await admin.putSet(setId, [priv, pub]);

      const view = await admin.getSet(setId);
      expect(kidsOf(view)).toEqual(['priv', 'pub']);
      expect(view.keys[0]).toMatchObject({ kid: 'priv', d: priv.d, p: priv.p, n: priv.n });
      expect(view.keys[1]).toEqual({ kty: 'EC', crv: 'P-256', x: pub.x, y: pub.y, kid: 'pub', alg: 'ES256', use: 'sig' });

      expect((await admin.getKey(setId, 'pub')).keys).toEqual([view.keys[1]]);
      expect((await admin.getKey(setId, 'priv')).keys).toEqual([view.keys[0]]);
    });

    it('answers 404 for an unknown set or kid', async () => {
      expect(await caught(admin.getSet(freshSet('missing')))).toMatchObject({ error: 'not_found', statusCode: 404 });
      const setId = freshSet('get-missing-key');
      await admin.create(setId, { alg: 'ES256', kid: 'there' });
      expect(await caught(admin.getKey(setId, 'not-there'))).toMatchObject({ error: 'not_found', statusCode: 404, hint: expect.stringContaining('"not-there"') });
    });
  });

  describe('putSet', () => {
    it('replaces the set with exactly the given keys; the first private signing key listed signs', async () => {
      const setId = freshSet('put-set');
      await admin.create(setId, { alg: 'ES256', kid: 'replaced' });
      expect((await keySets.signingKey(setId)).kid).toBe('replaced');

      const pub = await operatorKey('a-public', 'ES256', { publicOnly: true });
      const enc = await operatorKey('b-enc', 'ES256', { use: 'enc' });
      const signer = await operatorKey('z-signer', 'PS256');
      const second = await operatorKey('c-second', 'EdDSA');
      const view = await admin.putSet(setId, [pub, enc, signer, second]);

      expect(kidsOf(view)).toEqual(['a-public', 'b-enc', 'z-signer', 'c-second']);
      expect(view.keys[0]).not.toHaveProperty('d');
      expect(view.keys[2]).toHaveProperty('d', signer.d);
      expect(await storedKids(setId)).toEqual(['a-public', 'b-enc', 'z-signer', 'c-second']);
      expect((await jwks.findKey(setId, 'a-public'))?.privateJwkJwe).toBeNull();
      expect((await keySets.signingKey(setId)).kid).toBe('z-signer');
      expect((await keySets.publicKeys(setId)).map((k) => k.kid)).toEqual(['a-public', 'b-enc', 'z-signer', 'c-second']);
    });

    it('stores private parts encrypted, never in clear', async () => {
      const setId = freshSet('put-encrypted');
      const key = await operatorKey('secret', 'ES256');
      await admin.putSet(setId, [key]);
      const rows: { public_jwk: string; private_jwk_jwe: string }[] = await dataSource.query('SELECT public_jwk, private_jwk_jwe FROM hydrant_jwk WHERE set_id = ?', [setId]);
      expect(rows).toHaveLength(1);
      expect(rows[0].public_jwk).not.toContain(key.d as string);
      expect(rows[0].private_jwk_jwe).not.toContain(key.d as string);
      expect(JSON.parse(await encryption.decrypt(rows[0].private_jwk_jwe))).toMatchObject({ d: key.d, kid: 'secret' });
    });

    it('refuses duplicate kids and invalid keys without changing the set', async () => {
      const setId = freshSet('put-set-refused');
      await admin.putSet(setId, [await operatorKey('kept')]);

      const dup = await caught(admin.putSet(setId, [await operatorKey('twice'), await operatorKey('twice')]));
      expect(dup).toMatchObject({ error: 'invalid_request', hint: expect.stringMatching(/distinct "kid"/) });

      const invalid = await caught(admin.putSet(setId, [await operatorKey('fine'), { kty: 'oct', k: 'AAAA', kid: 'sym', alg: 'HS256' } as JsonWebKeyInput]));
      expect(invalid).toMatchObject({ error: 'invalid_request', hint: expect.stringMatching(/"alg" of key "sym"/) });

      expect(await storedKids(setId)).toEqual(['kept']);
      await expect(caught(admin.putSet('', [await operatorKey('x')]))).resolves.toMatchObject({ error: 'invalid_request' });
    });

    it('may empty a set that Hydrant does not sign with', async () => {
      const setId = freshSet('put-empty');
      await admin.create(setId, { alg: 'ES256' });
      expect(await admin.putSet(setId, [])).toEqual({ keys: [] });
      expect(await storedKids(setId)).toEqual([]);
    });
  });

  describe('putKey', () => {
    it('adds a key, which becomes the newest, and replaces a key with the same kid, which becomes the newest again', async () => {
      const setId = freshSet('put-key');
      await admin.putSet(setId, [await operatorKey('m-first')]);
      expect((await keySets.signingKey(setId)).kid).toBe('m-first');
      await tick();

      const added = await operatorKey('z-added', 'ES384');
      const answer = await admin.putKey(setId, 'z-added', added);
      expect(answer).toMatchObject({ kid: 'z-added', alg: 'ES384', d: added.d });
      expect((await keySets.signingKey(setId)).kid).toBe('z-added');
      expect(await storedKids(setId)).toEqual(['z-added', 'm-first']);
      await tick();

      const replacement = await operatorKey('m-first', 'EdDSA');
      await admin.putKey(setId, 'm-first', { ...replacement, kid: undefined });
      expect(await storedKids(setId)).toEqual(['m-first', 'z-added']);
      const stored = await jwks.findKey(setId, 'm-first');
      expect(stored).toMatchObject({ alg: 'EdDSA', publicJwk: { x: replacement.x, kid: 'm-first' } });
      expect(await keySets.signingKey(setId)).toMatchObject({ kid: 'm-first', alg: 'EdDSA' });
    });

    it('refuses a body kid that contradicts the path and changes nothing', async () => {
      const setId = freshSet('put-key-mismatch');
      await admin.putSet(setId, [await operatorKey('only')]);
      const error = await caught(admin.putKey(setId, 'path-kid', await operatorKey('body-kid')));
      expect(error).toMatchObject({ error: 'invalid_request', hint: expect.stringMatching(/does not match/) });
      expect(await storedKids(setId)).toEqual(['only']);
    });
  });

  describe('delete', () => {
    it('deletes one key, then the whole set; answers 404 for what is not there', async () => {
      const setId = freshSet('delete');
      await admin.putSet(setId, [await operatorKey('one'), await operatorKey('two'), await operatorKey('three')]);
      expect((await keySets.signingKey(setId)).kid).toBe('one');

      await admin.deleteKey(setId, 'one');
      expect(await storedKids(setId)).toEqual(['two', 'three']);
      expect((await keySets.signingKey(setId)).kid).toBe('two');
      expect(await caught(admin.deleteKey(setId, 'one'))).toMatchObject({ error: 'not_found', statusCode: 404 });

      await admin.deleteSet(setId);
      expect(await storedKids(setId)).toEqual([]);
      await expect(keySets.signingKey(setId)).rejects.toThrow(/no private signing key/);
      expect(await caught(admin.deleteSet(setId))).toMatchObject({ error: 'not_found', statusCode: 404 });
      expect(await caught(admin.getSet(setId))).toMatchObject({ error: 'not_found' });
    });
  });

  describe.each([[KEY_SETS.idToken], [KEY_SETS.accessToken]])('the built-in set %s', (setId) => {
    let signer: JsonWebKeyInput;
    let before: Awaited<ReturnType<JwkStore['findSet']>>;

    beforeEach(async () => {
      signer = await operatorKey('the-signer', 'RS256');
      await admin.putSet(setId, [signer, await operatorKey('public-one', 'ES256', { publicOnly: true }), await operatorKey('enc-one', 'ES256', { use: 'enc' })]);
      expect((await keySets.signingKey(setId)).kid).toBe('the-signer');
      before = await jwks.findSet(setId);
    });

    async function expectRefusedAndUnchanged(change: Promise<unknown>): Promise<void> {
      const error = await caught(change);
      expect(error).toMatchObject({ error: 'invalid_request', statusCode: 400 });
      expect(error.hint).toContain(`Key set "${setId}" must keep a private signing key`);
      expect(await jwks.findSet(setId)).toEqual(before);
      expect((await keySets.signingKey(setId)).kid).toBe('the-signer');
    }

    it('refuses to delete its last private signing key', async () => {
      await expectRefusedAndUnchanged(admin.deleteKey(setId, 'the-signer'));
    });

    it('refuses to delete the whole set', async () => {
      await expectRefusedAndUnchanged(admin.deleteSet(setId));
    });

    it('refuses a replacement set without a private signing key', async () => {
      await expectRefusedAndUnchanged(admin.putSet(setId, [await operatorKey('pub-only', 'ES256', { publicOnly: true }), await operatorKey('enc-only', 'ES256', { use: 'enc' })]));
      await expectRefusedAndUnchanged(admin.putSet(setId, []));
    });

    it('refuses to replace its only private signing key with a public-only or "enc" key', async () => {
      await expectRefusedAndUnchanged(admin.putKey(setId, 'the-signer', { ...signer, d: undefined, p: undefined, q: undefined, dp: undefined, dq: undefined, qi: undefined }));
      await expectRefusedAndUnchanged(admin.putKey(setId, 'the-signer', { ...signer, use: 'enc' }));
    });

    it('still lets keys that are not the last signer go, and the signer once another one exists', async () => {
      await admin.deleteKey(setId, 'public-one');
      await admin.deleteKey(setId, 'enc-one');
      expect(await storedKids(setId)).toEqual(['the-signer']);
      await tick();
      await admin.create(setId, { alg: 'ES256', kid: 'successor' });
      await admin.deleteKey(setId, 'the-signer');
      expect(await storedKids(setId)).toEqual(['successor']);
      expect((await keySets.signingKey(setId)).kid).toBe('successor');
    });
  });
});
