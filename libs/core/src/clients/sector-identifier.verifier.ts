import { Errors } from '../errors';
import { OutboundFetchError } from '../http/outbound/outbound-fetch.error';
import { OutboundHttpClient } from '../http/outbound/outbound-http.client';
import { MAX_REMOTE_DOCUMENT_BYTES } from '../http/outbound/remote-key-set.cache';
import { redirectHostnames, SectorFields } from './sector-identifier';

/**
 * Checks a client's sector before it is stored, at every create and update (admin API and dynamic
 * registration): a sector_identifier_uri is fetched through the outbound client, must be https and must be
 * a JSON array that lists every redirect URI of the client; a pairwise client whose redirect URIs span
 * several hostnames must have one. Otherwise a client could claim another client's host as its sector and
 * receive the same pairwise subjects.
 */
export class SectorIdentifierVerifier {
  constructor(private readonly http: OutboundHttpClient) {}

  /** https://openid.net/specs/openid-connect-registration-1_0.html#SectorIdentifierValidation and OIDC Core §8.1. */
  async verify(client: SectorFields): Promise<void> {
    const uri = client.sector_identifier_uri;
    if (!uri) {
      if (client.subject_type === 'pairwise' && redirectHostnames(client.redirect_uris).size > 1) {
        throw invalid('Field "redirect_uris" spans several hosts, so a pairwise client must register a "sector_identifier_uri" (OIDC Core §8.1).');
      }
      return;
    }
    let url: URL | undefined;
    try {
      url = new URL(uri);
    } catch {
      url = undefined;
    }
    if (url?.protocol !== 'https:') throw invalid('Field "sector_identifier_uri" must be an https URL.');

    let listed: unknown;
    try {
      ({ json: listed } = await this.http.getJson(uri, MAX_REMOTE_DOCUMENT_BYTES));
    } catch (e) {
      if (e instanceof OutboundFetchError) throw invalid('The "sector_identifier_uri" could not be fetched.').withDebug(e.detail);
      throw e;
    }
    if (!Array.isArray(listed) || !listed.every((entry) => typeof entry === 'string')) {
      throw invalid('The document at "sector_identifier_uri" must be a JSON array of redirect URIs.');
    }
    const missing = client.redirect_uris.find((redirect) => !listed.includes(redirect));
    if (missing !== undefined) {
      throw invalid(`The document at "sector_identifier_uri" does not list the redirect URI "${missing}".`);
    }
  }
}

const invalid = (hint: string) => Errors.invalidClientMetadata().withHint(hint);
