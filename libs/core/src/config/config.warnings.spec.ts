import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.loader';
import { configWarnings } from './config.warnings';

describe('configWarnings', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'hydrant-config-warnings-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names a misspelled variable with the key it is close to, and never its value', () => {
    const warnings = configWarnings({ env: { SERVE_PUBLIC_PROT: '9999-secret-ish' } });
    expect(warnings).toEqual(['unknown environment variable SERVE_PUBLIC_PROT is ignored; did you mean SERVE_PUBLIC_PORT?']);
    expect(warnings.join()).not.toContain('9999');
  });

  it('names an unknown variable without a close key plainly, and a Hydra setting Hydrant does not implement as such', () => {
    expect(configWarnings({ env: { OAUTH2_FROBNICATE_EVERYTHING: 'x', OAUTH2_EXPOSE_INTERNAL_ERRORS: 'true', SERVE_COOKIES_SAME_SITE_MODE: 'Lax' } })).toEqual([
      'environment variable OAUTH2_EXPOSE_INTERNAL_ERRORS is one of Hydra\'s settings that Hydrant does not implement; it is ignored',
      'unknown environment variable OAUTH2_FROBNICATE_EVERYTHING is ignored',
      'environment variable SERVE_COOKIES_SAME_SITE_MODE is one of Hydra\'s settings that Hydrant does not implement; it is ignored',
    ]);
  });

  it('reports no correct key, and none of the rest of the environment', () => {
    expect(configWarnings({ env: { SERVE_PUBLIC_PORT: '1', URLS_SELF_ISSUER: 'x', DSN: 'memory', PATH: '/bin', HOME: '/root', NODE_OPTIONS: '' } })).toEqual([]);
  });

  it('checks every key of a --config file, and takes Hydra\'s quickstart hydra.yml with only its Hydra-only keys named', () => {
    const file = join(dir, 'hydra.yml');
    writeFileSync(file, [
      'serve:', '  cookies:', '    same_site_mode: Lax',
      'urls:', '  self:', '    issuer: http://127.0.0.1:4444', '  consent: http://127.0.0.1:3000/consent', '  login: http://127.0.0.1:3000/login',
      '  logout: http://127.0.0.1:3000/logout',
      'secrets:', '  system:', '    - youReallyNeedToChangeThis',
      'oidc:', '  subject_identifiers:', '    supported_types:', '      - pairwise', '      - public', '    pairwise:', '      salt: youReallyNeedToChangeThis',
      'log:', '  leak_sensitive_values: true', '  levle: debug', '',
    ].join('\n'));
    expect(configWarnings({ env: {}, file })).toEqual([
      `unknown key of ${file} LOG_LEVLE is ignored; did you mean LOG_LEVEL?`,
      `key of ${file} SERVE_COOKIES_SAME_SITE_MODE is one of Hydra's settings that Hydrant does not implement; it is ignored`,
    ]);
    expect(loadConfig({ env: {}, file })).toMatchObject({ urlsSelfIssuer: 'http://127.0.0.1:4444', oidcSubjectIdentifiersSupportedTypes: ['pairwise', 'public'] });
  });
});
