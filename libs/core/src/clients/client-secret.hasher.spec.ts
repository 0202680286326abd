import { watchScrypt } from '../../../../test/support/scrypt-watch';
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

  describe('at most two scrypt computations at once, so that libuv\'s thread pool stays free for the database (issue 15, row 6)', () => {
    it('runs many different wrong secrets two at a time, and answers every one', async () => {
      const fresh = new ClientSecretHasher();
      const stored = await fresh.hashChosen('the real one');
      const scrypt = watchScrypt();
      try {
        const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => fresh.verify(`guess ${i}`, stored)));
        expect(answers).toEqual(Array(10).fill(false));
        expect(scrypt.seen).toMatchObject({ calls: 10, most: 2 });
      } finally {
        scrypt.restore();
      }
    });

    it('counts hashing a new secret among them', async () => {
      const fresh = new ClientSecretHasher();
      const stored = await fresh.hashChosen('the real one');
      const scrypt = watchScrypt();
      try {
        await Promise.all([
          ...Array.from({ length: 4 }, () => fresh.hashChosen('another')),
          ...Array.from({ length: 4 }, (_, i) => fresh.verify(`guess ${i}`, stored)),
        ]);
        expect(scrypt.seen).toMatchObject({ calls: 8, most: 2 });
      } finally {
        scrypt.restore();
      }
    });

    it('never makes a cached or a generated secret wait for a slot', async () => {
      const fresh = new ClientSecretHasher();
      const chosen = await fresh.hashChosen('the real one');
      await fresh.verify('the real one', chosen); // now cached
      const generated = fresh.generate();
      const generatedHash = fresh.hashGenerated(generated);
      const guesses = Array.from({ length: 6 }, (_, i) => fresh.verify(`guess ${i}`, chosen));
      let pending = guesses.length;
      guesses.forEach((g) => g.then(() => pending--));
      expect(await fresh.verify('the real one', chosen)).toBe(true);
      expect(await fresh.verify(generated, generatedHash)).toBe(true);
      expect(pending).toBe(guesses.length);
      await Promise.all(guesses);
    });

    it('runs `admit` once a slot is held and before scrypt, and runs no scrypt when it refuses', async () => {
      const fresh = new ClientSecretHasher();
      const stored = await fresh.hashChosen('the real one');
      const scrypt = watchScrypt();
      try {
        const order: string[] = [];
        const admitted = await fresh.verify('guess', stored, async () => {
          order.push(`admit with ${scrypt.seen.running} running`);
        });
        expect(admitted).toBe(false);
        expect(order).toEqual(['admit with 0 running']);
        expect(scrypt.seen.calls).toBe(1);

        const refusal = new Error('over the limit');
        await expect(fresh.verify('another guess', stored, async () => { throw refusal; })).rejects.toBe(refusal);
        expect(scrypt.seen.calls).toBe(1);
        // The refused flight is gone: the same secret is tried again next time.
        await expect(fresh.verify('another guess', stored)).resolves.toBe(false);
        expect(scrypt.seen.calls).toBe(2);
      } finally {
        scrypt.restore();
      }
    });

    it('asks `admit` of guesses waiting in line only when their turn comes', async () => {
      const fresh = new ClientSecretHasher();
      const stored = await fresh.hashChosen('the real one');
      let budget = 3;
      const admit = async () => {
        if (budget-- <= 0) throw new Error('refused');
      };
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => fresh.verify(`guess ${i}`, stored, admit).catch((e: Error) => e.message)));
      expect(answers).toEqual([false, false, false, 'refused', 'refused', 'refused', 'refused', 'refused']);
    });
  });

  it('refuses unknown or damaged stored values', async () => {
    await expect(hasher.verify('x', 'plain')).resolves.toBe(false);
    await expect(hasher.verify('x', '$md5$abc')).resolves.toBe(false);
    await expect(hasher.verify('x', '$sha256$')).resolves.toBe(false);
  });
});
