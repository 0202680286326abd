import { OpaqueTokenCodec } from './opaque-token.codec';

describe('OpaqueTokenCodec', () => {
  const codec = new OpaqueTokenCodec(['first-system-secret-0123456789']);

  it('mints prefixed tokens whose signature verifies and is what gets stored', () => {
    const { token, signature } = codec.mint('access_token');
    expect(token).toMatch(/^hy_at_[0-9a-f]{12}[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}$/);
    // Stored: the time head and the HMAC, never the random part.
    const [key, hmac] = token.slice('hy_at_'.length).split('.');
    expect(signature).toBe(`${key.slice(0, 12)}.${hmac}`);
    expect(codec.verify(token, 'access_token')).toBe(signature);
    expect(codec.kindOf(token)).toBe('access_token');
  });

  it('refuses a token of another kind, a forged signature, and malformed input', () => {
    const { token } = codec.mint('refresh_token');
    expect(codec.verify(token, 'access_token')).toBeNull();
    const [head] = token.split('.');
    expect(codec.verify(`${head}.${'A'.repeat(43)}`, 'refresh_token')).toBeNull();
    // The time head is signed with the rest: another head does not verify.
    expect(codec.verify(`hy_rt_${'0'.repeat(12)}${head.slice(18)}.${token.split('.')[1]}`, 'refresh_token')).toBeNull();
    // Characters outside base64url decode to nothing, so these carry a valid HMAC: still refused.
    for (const bad of ['', 'hy_rt_', 'hy_rt_abc', 'hy_rt_a.b.c', `${token}x`, 'x'.repeat(500), `${token}\u0000`, `${token}=`, `${token}%00`, ` ${token}`]) {
      expect(codec.verify(bad, 'refresh_token')).toBeNull();
    }
  });

  it('keys storage in minting order, so that new rows append to the index', () => {
    const signatures = [1_700_000_000_000, 1_700_000_000_001, 1_800_000_000_000, 2_000_000_000_000].map((t) => codec.mint('access_token', t).signature);
    expect([...signatures].sort()).toEqual(signatures);
  });

  it('verifies tokens minted under an older secret after rotation, and not under an unrelated one', () => {
    const { token, signature } = codec.mint('access_token');
    const rotated = new OpaqueTokenCodec(['second-system-secret-0123456789', 'first-system-secret-0123456789']);
    expect(rotated.verify(token, 'access_token')).toBe(signature);
    expect(new OpaqueTokenCodec(['unrelated-secret-0123456789']).verify(token, 'access_token')).toBeNull();
  });
});
