import { decodeProtectedHeader } from 'jose';
import { KeyEncryption } from './key-encryption';

const PLAINTEXT = JSON.stringify({ kty: 'OKP', crv: 'Ed25519', d: 'a-very-private-member-value', x: 'public-x' });

describe('KeyEncryption', () => {
  it('refuses to be built without a secret', () => {
    expect(() => new KeyEncryption([])).toThrow(/at least one system secret/);
  });

  it('round-trips a plaintext through a compact dir/A256GCM JWE', async () => {
    const encryption = new KeyEncryption(['a-system-secret-0123456789']);
    const jwe = await encryption.encrypt(PLAINTEXT);
    expect(jwe.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(jwe)).toEqual({ alg: 'dir', enc: 'A256GCM' });
    await expect(encryption.decrypt(jwe)).resolves.toBe(PLAINTEXT);
  });

  it('round-trips non-ASCII text and the empty string', async () => {
    const encryption = new KeyEncryption(['a-system-secret-0123456789']);
    for (const text of ['', 'schlüssel — 鍵 🔑']) {
      await expect(encryption.decrypt(await encryption.encrypt(text))).resolves.toBe(text);
    }
  });

  it('never puts the plaintext, or any part of it, into the ciphertext', async () => {
    const encryption = new KeyEncryption(['a-system-secret-0123456789']);
    const jwe = await encryption.encrypt(PLAINTEXT);
    expect(jwe).not.toContain(PLAINTEXT);
    expect(jwe).not.toContain('a-very-private-member-value');
    expect(jwe).not.toContain(Buffer.from(PLAINTEXT).toString('base64url'));
    expect(jwe).not.toContain(Buffer.from('a-very-private-member-value').toString('base64url'));
    const decoded = jwe
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join('|');
    expect(decoded).not.toContain('a-very-private-member-value');
  });

  it('uses a fresh IV each time: the same plaintext never encrypts to the same JWE', async () => {
    const encryption = new KeyEncryption(['a-system-secret-0123456789']);
    const first = await encryption.encrypt(PLAINTEXT);
    const second = await encryption.encrypt(PLAINTEXT);
    expect(first).not.toBe(second);
    expect(first.split('.')[2]).not.toBe(second.split('.')[2]);
  });

  it('decrypts with an older secret after the secret rotated, and encrypts under the new one', async () => {
    const before = new KeyEncryption(['the-old-secret-0123456789']);
    const stored = await before.encrypt(PLAINTEXT);

    const rotated = new KeyEncryption(['the-new-secret-0123456789', 'the-old-secret-0123456789']);
    await expect(rotated.decrypt(stored)).resolves.toBe(PLAINTEXT);

    const fresh = await rotated.encrypt(PLAINTEXT);
    await expect(new KeyEncryption(['the-new-secret-0123456789']).decrypt(fresh)).resolves.toBe(PLAINTEXT);
    await expect(before.decrypt(fresh)).rejects.toThrow(/cannot be decrypted/);
  });

  it('refuses a JWE made under an unrelated secret', async () => {
    const stored = await new KeyEncryption(['the-old-secret-0123456789']).encrypt(PLAINTEXT);
    const other = new KeyEncryption(['an-unrelated-secret-987654', 'another-unrelated-one-4321']);
    await expect(other.decrypt(stored)).rejects.toThrow('a stored private key cannot be decrypted with any SECRETS_SYSTEM entry');
  });

  it('refuses a tampered ciphertext and text that is no JWE', async () => {
    const encryption = new KeyEncryption(['a-system-secret-0123456789']);
    const parts = (await encryption.encrypt(PLAINTEXT)).split('.');
    const cipher = Buffer.from(parts[3], 'base64url');
    cipher[0] ^= 0x01;
    parts[3] = cipher.toString('base64url');
    await expect(encryption.decrypt(parts.join('.'))).rejects.toThrow(/cannot be decrypted/);
    await expect(encryption.decrypt('not-a-jwe')).rejects.toThrow(/cannot be decrypted/);
  });
});
