import { OAuth2Error } from '../../errors';
import { bearerFromHeader, readBearerToken } from './bearer-token';

describe('bearer tokens (RFC 6750 §2)', () => {
  it('reads a b64token from the Authorization header, case-insensitively', () => {
    expect(bearerFromHeader('Bearer hy_at_abc.def')).toBe('hy_at_abc.def');
    expect(bearerFromHeader('bearer a.b.c')).toBe('a.b.c');
    expect(bearerFromHeader('Bearer abc==')).toBe('abc==');
  });

  it('reads nothing from another scheme, an empty token or characters outside b64token', () => {
    for (const header of [undefined, '', 'Basic abc', 'Bearer', 'Bearer ', 'Bearer a b', 'Bearer a"b', 'Bearer a,b']) {
      expect(bearerFromHeader(header)).toBeUndefined();
    }
  });

  it('takes the token from the header or the form body, and refuses both at once or a repeated parameter', () => {
    expect(readBearerToken('Bearer t1')).toBe('t1');
    expect(readBearerToken(undefined, { access_token: 't2' })).toBe('t2');
    expect(readBearerToken(undefined, {})).toBeUndefined();
    expect(() => readBearerToken('Bearer t1', { access_token: 't2' })).toThrow(OAuth2Error);
    expect(() => readBearerToken(undefined, { access_token: ['a', 'b'] })).toThrow(/must appear once/);
  });
});
