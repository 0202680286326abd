import { Client } from '../clients/client.model';
import { ClientStore } from '../clients/client.store';
import { FlowStore } from '../flows/flow.store';
import { OutboundFetchError } from '../http/outbound/outbound-fetch.error';
import { OutboundHttpClient } from '../http/outbound/outbound-http.client';
import { Logger } from '../logging/logger';
import { withQuery } from '../http/with-query';
import { IdTokenCodec } from './id-token.codec';
import { subjectForClient } from './subject-identifier';
import { SessionLogoutNotices } from '../flows/session-logout.notices';

/** A back-channel logout answer carries nothing we read (OIDC Back-Channel Logout §2.8); a little is allowed. */
const MAX_ANSWER_BYTES = 4 * 1024;

/**
 * Tells the clients of an ending login session: a logout token POSTed to each `backchannel_logout_uri`
 * (OIDC Back-Channel Logout 1.0), and the `frontchannel_logout_uri`s the browser loads in iframes
 * (OIDC Front-Channel Logout 1.0). The POSTs go through the outbound client (its timeout, no redirects,
 * the private-address rule); a client that does not answer does not hold up the logout.
 */
export class LogoutNotifier implements SessionLogoutNotices {
  constructor(
    private readonly flows: FlowStore,
    private readonly clients: ClientStore,
    private readonly idTokens: IdTokenCodec,
    private readonly http: OutboundHttpClient,
    private readonly issuer: string,
    private readonly logger: Logger,
    /** OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: a pairwise client's logout token names the subject as its ID tokens do. */
    private readonly pairwiseSalt: string,
  ) {}

  async clientsOf(sid: string): Promise<Client[]> {
    if (!sid) return [];
    const clients = await Promise.all((await this.flows.clientIdsOfLoginSession(sid)).map((id) => this.clients.findById(id)));
    return clients.filter((c): c is Client => c !== null);
  }

  async backchannel(clients: Client[], subject: string, sid: string): Promise<void> {
    const forced = await this.forcedSubjects(subject, sid);
    await Promise.all(
      clients
        .filter((c) => c.metadata.backchannel_logout_uri)
        .map(async (client) => {
          try {
            const logoutToken = await this.idTokens.signLogoutToken(client.id, subjectForClient(client, subject, this.pairwiseSalt, forced.get(client.id)), sid);
            await this.http.request(client.metadata.backchannel_logout_uri, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ logout_token: logoutToken }).toString(),
              maxBodyBytes: MAX_ANSWER_BYTES,
            });
          } catch (e) {
            const detail = e instanceof OutboundFetchError ? e.detail : undefined;
            this.logger.warn({ client_id: client.id, ...(detail ? { detail } : { err: e }) }, 'back-channel logout failed');
          }
        }),
    );
  }

  /** The subject identifier each client's login in this session was forced to (force_subject_identifier), by client. */
  private async forcedSubjects(subject: string, sid: string): Promise<Map<string, string>> {
    const flows = sid ? await this.flows.findGranted(subject, { loginSessionId: sid }) : [];
    return new Map(flows.filter((f) => f.login?.forceSubjectIdentifier).map((f) => [f.clientId, f.login!.forceSubjectIdentifier]));
  }

  /** OIDC Front-Channel Logout §2: the URIs to load, with `iss` and `sid` when the client asked for them. */
  frontchannelUris(clients: Client[], sid: string): string[] {
    return clients
      .filter((c) => c.metadata.frontchannel_logout_uri)
      .map((c) => (c.metadata.frontchannel_logout_session_required ? withQuery(c.metadata.frontchannel_logout_uri, { iss: this.issuer, sid }) : c.metadata.frontchannel_logout_uri));
  }
}
