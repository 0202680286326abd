import { ClientSecretHasher } from './client-secret.hasher';

// The module object itself (an import namespace's bindings cannot be spied on).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto: typeof import('node:crypto') = require('node:crypto');

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

  it('runs one scrypt for requests that present the same chosen secret together, and one per other secret', async () => {
    const fresh = new ClientSecretHasher();
    const stored = await fresh.hashChosen('battery staple');
    const scrypt = jest.spyOn(crypto, 'scrypt');
    try {
      const answers = await Promise.all([
        ...Array.from({ length: 8 }, () => fresh.verify('battery staple', stored)),
        fresh.verify('wrong staple', stored),
        fresh.verify('wrong staple', stored),
        fresh.verify('other staple', stored),
      ]);
      expect(answers).toEqual([...Array(8).fill(true), false, false, false]);
      expect(scrypt).toHaveBeenCalledTimes(3);
      // Nothing stays in flight: a wrong secret is checked again next time.
      await expect(fresh.verify('wrong staple', stored)).resolves.toBe(false);
      expect(scrypt).toHaveBeenCalledTimes(4);
    } finally {
      scrypt.mockRestore();
    }
  });

  it('refuses unknown or damaged stored values', async () => {
    await expect(hasher.verify('x', 'plain')).resolves.toBe(false);
    await expect(hasher.verify('x', '$md5$abc')).resolves.toBe(false);
    await expect(hasher.verify('x', '$sha256$')).resolves.toBe(false);
  });
});
