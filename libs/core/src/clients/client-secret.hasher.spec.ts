import { ClientSecretHasher } from './client-secret.hasher';

describe('ClientSecretHasher', () => {
  const hasher = new ClientSecretHasher();

  it('generates URL-safe secrets with 256 bits of entropy, different every time', () => {
    const a = hasher.generate();
    const b = hasher.generate();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
  });

  it('stores generated secrets as SHA-256 and verifies them', async () => {
    const secret = hasher.generate();
    const stored = hasher.hashGenerated(secret);
    expect(stored).toMatch(/^\$sha256\$/);
    expect(stored).not.toContain(secret);
    await expect(hasher.verify(secret, stored)).resolves.toBe(true);
    await expect(hasher.verify(`${secret}x`, stored)).resolves.toBe(false);
    await expect(hasher.verify('', stored)).resolves.toBe(false);
  });

  it('stores chosen secrets with salted scrypt and verifies them, also from its cache', async () => {
    const stored = await hasher.hashChosen('correct horse');
    const again = await hasher.hashChosen('correct horse');
    expect(stored).toMatch(/^\$scrypt\$16384\$8\$1\$/);
    expect(stored).not.toBe(again); // salted
    await expect(hasher.verify('correct horse', stored)).resolves.toBe(true);
    await expect(hasher.verify('correct horse', stored)).resolves.toBe(true); // cached path
    await expect(hasher.verify('wrong horse', stored)).resolves.toBe(false);
  });

  it('refuses unknown or damaged stored values', async () => {
    await expect(hasher.verify('x', 'plain')).resolves.toBe(false);
    await expect(hasher.verify('x', '$md5$abc')).resolves.toBe(false);
    await expect(hasher.verify('x', '$sha256$')).resolves.toBe(false);
  });
});
