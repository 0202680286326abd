import { OAuth2Error } from '../errors';
import { withDefaults } from '../clients/client-metadata.validator';
import { ClientMetadata } from '../clients/client.metadata';
import { RegistrationPolicy } from './registration.policy';

const policy = new RegistrationPolicy({
  scope: ['openid', 'offline_access', 'photos.read'],
  grantTypes: ['authorization_code', 'refresh_token'],
  audience: ['https://api.example.com/'],
});
const closed = new RegistrationPolicy({ scope: ['openid'], grantTypes: ['authorization_code'], audience: [] });

const metadata = (input: Partial<Record<keyof ClientMetadata, unknown>>) => withDefaults({ scope: 'openid', ...input });

function refusal(admit: () => void): OAuth2Error {
  try {
    admit();
  } catch (e) {
    expect(e).toBeInstanceOf(OAuth2Error);
    return e as OAuth2Error;
  }
  throw new Error('expected a refusal');
}

describe('RegistrationPolicy', () => {
  it('admits metadata within the bounds', () => {
    expect(() =>
      policy.admit(
        metadata({ grant_types: ['authorization_code', 'refresh_token'], scope: 'openid photos.read', audience: ['https://api.example.com/'] }),
      ),
    ).not.toThrow();
    expect(() => closed.admit(metadata({}))).not.toThrow();
  });

  it.each<[string, Partial<Record<keyof ClientMetadata, unknown>>, string, string]>([
    ['client_credentials', { grant_types: ['authorization_code', 'client_credentials'] }, 'grant_types', 'client_credentials'],
    ['the implicit grant', { grant_types: ['implicit'], response_types: ['id_token'] }, 'grant_types', 'implicit'],
    ['a scope not listed', { scope: 'openid admin:all' }, 'scope', 'admin:all'],
    ['a scope that only starts like a listed one', { scope: 'photos.read.all' }, 'scope', 'photos.read.all'],
    ['a scope that is a prefix of a listed one', { scope: 'photos' }, 'scope', 'photos'],
    ['an audience not listed', { audience: ['https://internal-api.example'] }, 'audience', 'https://internal-api.example'],
    ['an audience spelled differently', { audience: ['https://api.example.com'] }, 'audience', 'https://api.example.com'],
  ])('refuses %s with invalid_client_metadata naming the field and the value', (_, input, field, value) => {
    const error = refusal(() => policy.admit(metadata(input)));
    expect(error.error).toBe('invalid_client_metadata');
    expect(error.statusCode).toBe(400);
    expect(error.hint).toContain(`Field "${field}" holds "${value}"`);
  });

  it('says what it allows, or that it allows none', () => {
    expect(refusal(() => policy.admit(metadata({ scope: 'payments.write' }))).hint).toContain('"openid", "offline_access", "photos.read"');
    expect(refusal(() => closed.admit(metadata({ audience: ['https://a.example/'] }))).hint).toContain('it allows none');
  });

  it('lets an update keep what the client holds already, and nothing more', () => {
    const held = metadata({ grant_types: ['client_credentials'], scope: 'openid payments.write', audience: ['https://internal.example/'] });
    const same = metadata({ grant_types: ['client_credentials'], scope: 'openid payments.write', audience: ['https://internal.example/'] });
    expect(() => policy.admit(same, held)).not.toThrow();
    expect(refusal(() => policy.admit(metadata({ scope: 'openid payments.admin' }), held)).hint).toContain('"payments.admin"');
    expect(refusal(() => policy.admit(metadata({ grant_types: ['urn:ietf:params:oauth:grant-type:jwt-bearer'] }), held)).hint).toContain('grant_types');
    expect(refusal(() => policy.admit(metadata({ audience: ['https://other.example/'] }), held)).hint).toContain('audience');
  });
});
