import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readKeyFiles } from './key-file.reader';

describe('readKeyFiles (hydrant import jwk)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hydrant-keys-'));
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ed = generateKeyPairSync('ed25519');

  it('reads PEM and DER keys, private and public, with the alg of their type and a UUID kid', () => {
    const keys = readKeyFiles(
      [
        file('ec.pem', ec.privateKey.export({ format: 'pem', type: 'pkcs8' })),
        file('rsa.der', rsa.privateKey.export({ format: 'der', type: 'pkcs1' })),
        file('ed.pub.der', ed.publicKey.export({ format: 'der', type: 'spki' })),
        file('rsa.pub.pem', rsa.publicKey.export({ format: 'pem', type: 'spki' })),
      ],
      { use: 'sig' },
    );
    expect(keys.map((k) => [k.kty, k.alg, k.use, 'd' in k])).toEqual([
      ['EC', 'ES256', 'sig', true],
      ['RSA', 'RS256', 'sig', true],
      ['OKP', 'EdDSA', 'sig', false],
      ['RSA', 'RS256', 'sig', false],
    ]);
    for (const key of keys) expect(key.kid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads a JWK and a JWK Set, keeping their kid, alg and use, and fills --alg/--use where they name none', () => {
    const jwk = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'mine', use: 'enc' };
    const bare = rsa.publicKey.export({ format: 'jwk' });
    const keys = readKeyFiles([file('one.json', JSON.stringify(jwk)), file('set.json', JSON.stringify({ keys: [bare] }))], { alg: 'RS512', use: 'sig' });
    expect(keys.map((k) => [k.kid, k.alg, k.use])).toEqual([
      ['mine', 'RS512', 'enc'],
      [keys[1].kid, 'RS512', 'sig'],
    ]);
  });

  it('refuses what is not a key, and a missing file, with the file named', () => {
    expect(() => readKeyFiles([file('junk.txt', 'hello')], { use: 'sig' })).toThrow(/junk\.txt: neither a JSON Web Key, a PEM key nor a DER key/);
    expect(() => readKeyFiles([file('bad.json', '{"keys":[{"n":"x"}]}')], { use: 'sig' })).toThrow(/bad\.json: not a JSON Web Key/);
    expect(() => readKeyFiles([path.join(dir, 'absent.pem')], { use: 'sig' })).toThrow(/cannot read .*absent\.pem: ENOENT/);
  });
});
