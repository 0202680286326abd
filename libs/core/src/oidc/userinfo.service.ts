import { Client } from '../clients/client.model';
import { ClientStore } from '../clients/client.store';
import { HydrantConfig } from '../config/hydrant.config';
import { Errors } from '../errors';
import { FlowStore } from '../flows/flow.store';
import { isTokenUsable } from '../tokens/token.model';
import { TokenResolver } from '../tokens/token.resolver';
import { claimsForScopes } from './claims-by-scope';
import { subjectForClient } from './subject-identifier';

/** Claims that belong to tokens, not to the user, and so never appear at userinfo. */
const TOKEN_CLAIMS = ['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'auth_time', 'nonce', 'acr', 'amr', 'azp', 'sid', 'at_hash', 'c_hash'];

/** Scopes that open userinfo: OIDC's `openid`, or `identify` of the Fluxer seed. */
const USERINFO_SCOPES = ['openid', 'identify'];

/**
 * OIDC Core §5.3 UserInfo: the subject as its client sees it and the consent's ID token claims, limited
 * to what the granted scopes release. A personal access token answers its subject alone: it was issued
 * outside any consent. Errors are RFC 6750 §3.1 bearer errors.
 */
export class UserinfoService {
  constructor(
    private readonly resolver: TokenResolver,
    private readonly flows: FlowStore,
    private readonly clients: ClientStore,
    private readonly config: HydrantConfig,
  ) {}

  async userinfo(accessToken: string | undefined): Promise<Record<string, unknown>> {
    if (!accessToken) throw Errors.invalidToken().withHint('No access token was presented.');
    const token = await this.resolver.resolve(accessToken);
    if (!token || token.kind === 'refresh_token' || !isTokenUsable(token)) {
      throw Errors.invalidToken().withHint('The access token is expired, revoked, malformed or unknown.');
    }
    if (token.kind === 'personal_access_token') return { sub: token.subject };
    if (!token.scopes.some((s) => USERINFO_SCOPES.includes(s))) {
      throw Errors.insufficientScope().withHint('The access token was granted neither the "openid" nor the "identify" scope.');
    }
    const flow = await this.flows.findById(token.requestId);
    const client: Client | null = await this.clients.findById(token.clientId);
    if (!flow || !flow.consent || !client) throw Errors.invalidToken().withHint('The consent behind this access token was revoked.');
    const claims = Object.fromEntries(Object.entries(flow.consent.idTokenClaims).filter(([k]) => !TOKEN_CLAIMS.includes(k)));
    return {
      ...claimsForScopes(claims, token.scopes),
      sub: subjectForClient(client, token.subject, this.config.oidcSubjectIdentifiersPairwiseSalt, flow.login?.forceSubjectIdentifier),
    };
  }
}
