import { createHash } from 'node:crypto';
import { Client } from '../clients/client.model';
import { pairwiseSector } from '../clients/sector-identifier';
import { Errors } from '../errors';

/**
 * The subject a client sees in ID tokens and at userinfo (OIDC Core §8). `public`: the subject itself.
 * `pairwise`: a hash of the client's sector (clients/sector-identifier.ts), the subject and
 * OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT, as Hydra computes it, so that clients of different sectors
 * cannot correlate users. The login app's `force_subject_identifier` replaces the pairwise hash, and as in
 * Hydra it does nothing for a client with public subjects.
 */
export function subjectForClient(client: Client, subject: string, salt: string, forced = ''): string {
  if (client.metadata.subject_type !== 'pairwise') return subject;
  if (forced) return forced;
  const sector = pairwiseSector(client.metadata);
  if (sector === undefined) {
    // Registration refuses such a client now; one stored before that must be fixed by its operator.
    throw Errors.unauthorizedClient().withHint(
      'The client uses pairwise subjects with redirect URIs on several hosts, so it must register a sector_identifier_uri (OIDC Core §8.1).',
    );
  }
  return createHash('sha256').update(sector + subject + salt).digest('hex');
}
