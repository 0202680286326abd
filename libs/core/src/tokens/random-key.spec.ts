import { randomKey } from './random-key';

describe('randomKey', () => {
  it('gives 256-bit base64url keys, never the same twice across pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const key = randomKey();
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key, 'base64url')).toHaveLength(32);
      seen.add(key);
    }
    expect(seen.size).toBe(1000);
  });
});
