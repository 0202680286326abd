import { createHash } from 'node:crypto';
import { Client } from '../clients/client.model';

/**
 * The subject a client sees in ID tokens and at userinfo (OIDC Core §8). `public`: the subject itself.
 * `pairwise`: a hash of the client's sector (the host of its sector_identifier_uri, else of its redirect
 * URI), the subject and OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT, as Hydra computes it, so that clients of
 * different sectors cannot correlate users. The login app's `force_subject_identifier` wins over both.
 */
export function subjectForClient(client: Client, subject: string, salt: string, forced = ''): string {
  if (forced) return forced;
  if (client.metadata.subject_type !== 'pairwise') return subject;
  const sectorSource = client.metadata.sector_identifier_uri || client.metadata.redirect_uris[0] || '';
  let sector = '';
  try {
    sector = new URL(sectorSource).host;
  } catch {
    sector = sectorSource;
  }
  return createHash('sha256').update(sector + subject + salt).digest('hex');
}
