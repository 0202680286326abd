import { createHash } from 'node:crypto';
import { defaultMetadata } from '../clients/client.metadata';
import { Client } from '../clients/client.model';
import { OAuth2Error } from '../errors';
import { subjectForClient } from './subject-identifier';

const SALT = 'a-pairwise-salt-of-enough-length';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function client(fields: Partial<Client['metadata']>): Client {
  const now = new Date();
  return {
    id: 'c',
    metadata: { ...defaultMetadata(), subject_type: 'pairwise', ...fields },
    secretHash: null,
    rotatedSecretHashes: [],
    registrationTokenHash: null,
    application: null,
    createdAt: now,
    updatedAt: now,
  };
}

describe('subjectForClient', () => {
  it('keeps Hydra\'s hash for a single-host client: sha256(host of redirect_uris[0] + subject + salt)', () => {
    const single = client({ redirect_uris: ['https://app.example:8443/cb', 'https://app.example/other'] });
    expect(subjectForClient(single, 'alice', SALT)).toBe(sha256(`app.example:8443alice${SALT}`));
  });

  it('takes the sector from the sector_identifier_uri\'s host, whatever the redirect URIs', () => {
    const sectored = client({ sector_identifier_uri: 'https://sector.example/uris.json', redirect_uris: ['https://victim.example/cb', 'https://app.example/cb'] });
    expect(subjectForClient(sectored, 'alice', SALT)).toBe(sha256(`sector.examplealice${SALT}`));
  });

  it('never lends a multi-host client without a sector_identifier_uri the first host\'s subjects', () => {
    const victim = client({ redirect_uris: ['https://victim.example/cb'] });
    const attacker = client({ redirect_uris: ['https://victim.example/cb', 'https://attacker.example/cb'] });
    const error = (() => {
      try {
        return subjectForClient(attacker, 'alice', SALT);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OAuth2Error);
    expect((error as OAuth2Error).hint).toMatch(/sector_identifier_uri/);
    expect(subjectForClient(victim, 'alice', SALT)).toBe(sha256(`victim.examplealice${SALT}`));
  });

  it('answers the subject itself for public clients, even with a forced subject (Hydra: it only replaces the pairwise hash)', () => {
    expect(subjectForClient(client({ subject_type: 'public' }), 'alice', SALT)).toBe('alice');
    expect(subjectForClient(client({ subject_type: 'public' }), 'alice', SALT, 'forced')).toBe('alice');
    expect(subjectForClient(client({ redirect_uris: ['https://a.example/cb'] }), 'alice', SALT, 'forced')).toBe('forced');
  });
});
