import { Command } from 'commander';
import { clientFieldsFromFlags, normalizeBooleanFlags, unusableResponseTypes, withClientFlags } from './client.flags';

function parse(args: string[]): Record<string, unknown> {
  let fields: Record<string, unknown> = {};
  const command = withClientFlags(new Command('oauth2-client').exitOverride()).action((_flags, self: Command) => {
    fields = clientFieldsFromFlags(self);
  });
  command.parse(normalizeBooleanFlags(args), { from: 'user' });
  return fields;
}

describe('client flags (Hydra\'s flag names, OAuth2Client fields)', () => {
  it('sets only the fields whose flags were given', () => {
    expect(parse([])).toEqual({});
    expect(parse(['--name', 'app'])).toEqual({ client_name: 'app' });
  });

  it('takes lists repeated or comma separated, as cobra\'s StringSlice does, and joins scopes with spaces', () => {
    expect(parse(['--grant-type', 'authorization_code,refresh_token', '--grant-type', 'client_credentials', '--scope', 'openid', '--scope', 'offline,email'])).toEqual({
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'openid offline email',
    });
  });

  it('maps Hydra\'s flag names to the wire fields', () => {
    expect(
      parse(['--post-logout-callback', 'https://a/out', '--backchannel-logout-callback', 'https://a/bc', '--contact', 'x@a', '--allowed-cors-origin', 'https://a', '--id', 'c1', '--secret', 's']),
    ).toEqual({
      post_logout_redirect_uris: ['https://a/out'],
      backchannel_logout_uri: 'https://a/bc',
      contacts: ['x@a'],
      allowed_cors_origins: ['https://a'],
      client_id: 'c1',
      client_secret: 's',
    });
  });

  it('takes booleans bare, negated, or in Hydra\'s --flag=true|false form', () => {
    expect(parse(['--skip-consent'])).toEqual({ skip_consent: true });
    expect(parse(['--skip-consent=false'])).toEqual({ skip_consent: false });
    expect(parse(['--no-skip-logout-consent'])).toEqual({ skip_logout_consent: false });
    expect(parse(['--backchannel-logout-session-required=true'])).toEqual({ backchannel_logout_session_required: true });
  });

  it('parses --metadata as a JSON object, and refuses anything else with the flag named', () => {
    expect(parse(['--metadata', '{"team":"a"}'])).toEqual({ metadata: { team: 'a' } });
    expect(() => parse(['--metadata', '{nope'])).toThrow('--metadata: not JSON');
    expect(() => parse(['--metadata', '[1]'])).toThrow('--metadata: must be a JSON object');
  });

  it('names the response types the grant types cannot use (Hydra\'s tutorial asks for id_token without implicit)', () => {
    expect(unusableResponseTypes(['code', 'id_token'], ['authorization_code', 'refresh_token'])).toEqual(['id_token']);
    expect(unusableResponseTypes(['code'], ['client_credentials'])).toEqual(['code']);
    expect(unusableResponseTypes(['code id_token', 'token'], ['authorization_code', 'implicit'])).toEqual([]);
  });
});
