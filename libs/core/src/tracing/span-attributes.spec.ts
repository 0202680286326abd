import { dbSystemName, errorType, operationOf, outboundTarget, pathWithoutQuery } from './span-attributes';

describe('span attributes', () => {
  it('drop the query and the fragment of a path', () => {
    expect(pathWithoutQuery('/oauth2/auth?client_id=a&code_challenge=x')).toBe('/oauth2/auth');
    expect(pathWithoutQuery('/oauth2/token')).toBe('/oauth2/token');
    expect(pathWithoutQuery('/cb#access_token=x')).toBe('/cb');
    expect(pathWithoutQuery('/?')).toBe('/');
  });

  it('name a statement by its first keyword', () => {
    expect(operationOf('SELECT * FROM "x" WHERE "id" = $1')).toBe('SELECT');
    expect(operationOf('  insert into "x" VALUES (?)')).toBe('INSERT');
    expect(operationOf('(SELECT 1)')).toBe('SQL');
  });

  it("use OpenTelemetry's names of the dialects", () => {
    expect(dbSystemName('sqlite')).toBe('sqlite');
    expect(dbSystemName('postgres')).toBe('postgresql');
  });

  it('say of an outbound target its host, port, scheme and path: never its query, fragment or credentials', () => {
    expect(outboundTarget('https://rp.example/jwks.json?key=secret#frag')).toEqual({
      'server.address': 'rp.example',
      'server.port': 443,
      'url.scheme': 'https',
      'url.path': '/jwks.json',
    });
    expect(outboundTarget('http://user:pass@127.0.0.1:8080/hook')).toEqual({
      'server.address': '127.0.0.1',
      'server.port': 8080,
      'url.scheme': 'http',
      'url.path': '/hook',
    });
    expect(outboundTarget('not a url?token=secret')).toEqual({});
  });

  it('type an error by its code or class, never by its message', () => {
    expect(errorType(Object.assign(new Error('Key (id)=(secret) already exists'), { code: '23505' }))).toBe('23505');
    expect(errorType(Object.assign(new Error('busy'), { code: 'SQLITE_BUSY' }))).toBe('SQLITE_BUSY');
    expect(errorType(new TypeError('value secret'))).toBe('TypeError');
    expect(errorType({ code: 'has spaces and a secret' })).toBe('_OTHER');
    expect(errorType(undefined)).toBe('_OTHER');
  });
});
