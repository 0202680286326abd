import { audienceAllowed, parseScope, scopeAllowed } from './scope.strategy';

describe('scope strategies', () => {
  it('exact allows only listed scopes', () => {
    expect(scopeAllowed(['read', 'photos.*'], 'read', 'exact')).toBe(true);
    expect(scopeAllowed(['read', 'photos.*'], 'photos.read', 'exact')).toBe(false);
  });

  it.each([
    ['photos.*', 'photos.read', true],
    ['photos.*', 'photos.read.own', true],
    ['photos.*', 'photos', false],
    ['photos.*', 'photos.', false],
    ['photos.*.own', 'photos.read.own', true],
    ['photos.*.own', 'photos.read.all', false],
    ['photos.read', 'photos.read.own', false],
    ['*', 'anything', true],
    ['photos.*', 'videos.read', false],
  ])('wildcard: %s allows %s: %s', (pattern, requested, expected) => {
    expect(scopeAllowed([pattern], requested, 'wildcard')).toBe(expected);
  });

  it('parses a scope parameter without duplicates or blanks', () => {
    expect(parseScope(' a  b a ')).toEqual(['a', 'b']);
    expect(parseScope(undefined)).toEqual([]);
  });

  it('matches audiences exactly or beneath an allowed URL', () => {
    expect(audienceAllowed(['https://api.example.com/v1'], 'https://api.example.com/v1')).toBe(true);
    expect(audienceAllowed(['https://api.example.com/v1'], 'https://api.example.com/v1/photos')).toBe(true);
    expect(audienceAllowed(['https://api.example.com/v1'], 'https://api.example.com/v10')).toBe(false);
    expect(audienceAllowed(['https://api.example.com/v1'], 'https://evil.example.com/v1')).toBe(false);
    expect(audienceAllowed(['service-a'], 'service-b')).toBe(false);
    for (const smuggled of ['https://api.example.com/v1\u0000', 'https://api.exa\tmple.com/v1', 'https://api.example.com/v1/\nx', 'https://api.example.com/v1/ x']) {
      expect(audienceAllowed(['https://api.example.com/v1'], smuggled)).toBe(false);
    }
  });
});
