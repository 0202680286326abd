import { HydrantConfig } from '../../config/hydrant.config';
import { Errors } from '../../errors';
import { OutboundFetchError } from '../../http/outbound/outbound-fetch.error';
import { OutboundHttpClient } from '../../http/outbound/outbound-http.client';

/** The only token request parameters the hook sees: never a code, a verifier, a refresh token, a device code or a secret. */
const PAYLOAD_PARAMS = ['grant_type', 'response_type', 'scope', 'client_id', 'assertion'];
const MAX_ANSWER_BYTES = 256 * 1024;

/** What a grant is about to issue, as the token hook sees it. */
export interface TokenHookRequest {
  grantType: string;
  clientId: string;
  subject: string;
  requestedScopes: string[];
  grantedScopes: string[];
  requestedAudience: string[];
  grantedAudience: string[];
  /** The token request's form (filtered to PAYLOAD_PARAMS before it leaves). */
  params: Readonly<Record<string, string>>;
  /** The access token's extra claims (`ext`). */
  accessTokenClaims: Record<string, unknown>;
  /** The ID token's extra claims; undefined when no ID token is issued. */
  idTokenClaims?: Record<string, unknown>;
  consentChallenge?: string;
}

/** The claims to issue with, as the hook left them. */
export interface TokenHookClaims {
  accessTokenClaims: Record<string, unknown>;
  idTokenClaims?: Record<string, unknown>;
}

/**
 * Hydra's token hook (`oauth2.token_hook`): before any grant issues tokens, the token endpoint POSTs what
 * it is about to issue to the operator's URL. A 200 answers the claims to issue instead (`session.access_token`
 * for the access token's `ext`, `session.id_token` for the ID token), a 204 keeps them, a 403 refuses the
 * request (access_denied); anything else, a body that is not JSON, a timeout or a connection error is a
 * server_error, after OAUTH2_TOKEN_HOOK_RETRIES more tries for a 5xx or a connection error (a timeout is
 * not tried again: the token request has waited long enough). The URL is the
 * operator's own, so private addresses are allowed; the call is bounded by OAUTH2_TOKEN_HOOK_TIMEOUT, and
 * the runtime's client for it keeps its sockets alive between calls.
 */
export class TokenHook {
  private readonly url?: string;

  /** `client`: the runtime's client for the hook (private addresses allowed, OAUTH2_TOKEN_HOOK_TIMEOUT). */
  constructor(
    private readonly config: HydrantConfig,
    private readonly client: OutboundHttpClient,
  ) {
    this.url = config.oauth2TokenHook ?? config.oauth2TokenHookUrl;
  }

  /** The claims to issue with: the request's own when no hook is configured. */
  async claimsFor(request: TokenHookRequest): Promise<TokenHookClaims> {
    const kept: TokenHookClaims = { accessTokenClaims: request.accessTokenClaims, idTokenClaims: request.idTokenClaims };
    if (!this.url) return kept;
    const answer = await this.call(this.url, JSON.stringify(hookBody(request)));
    if (answer.status === 204) return kept;
    if (answer.status === 403) throw Errors.accessDenied().withHint('The token hook refused the request.');
    if (answer.status !== 200) throw hookFailed(`it answered ${answer.status}`);
    let session: { access_token?: unknown; id_token?: unknown } | undefined;
    try {
      session = (JSON.parse(answer.body.toString('utf8')) as { session?: typeof session }).session;
    } catch {
      throw hookFailed('its answer is not JSON');
    }
    return {
      accessTokenClaims: isObject(session?.access_token) ? session.access_token : request.accessTokenClaims,
      idTokenClaims: request.idTokenClaims !== undefined && isObject(session?.id_token) ? session.id_token : request.idTokenClaims,
    };
  }

  private async call(url: string, body: string): Promise<{ status: number; body: Buffer }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    const { oauth2TokenHookAuthType: type, oauth2TokenHookAuthConfigIn: where, oauth2TokenHookAuthConfigName: name, oauth2TokenHookAuthConfigValue: value } = this.config;
    if (type === 'api_key' && name) {
      if (where === 'cookie') headers.cookie = `${name}=${value ?? ''}`;
      else headers[name.toLowerCase()] = value ?? '';
    }
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= this.config.oauth2TokenHookRetries;
      try {
        const answer = await this.client.request(url, { method: 'POST', headers, body, maxBodyBytes: MAX_ANSWER_BYTES, anyStatus: true });
        if (answer.status >= 500 && !last) continue;
        return answer;
      } catch (e) {
        if (!(e instanceof OutboundFetchError)) throw e;
        if (last || e.timedOut) throw hookFailed(e.detail);
      }
    }
  }
}

/** Hydra's token hook request: the session about to be issued and the request behind it. */
function hookBody(request: TokenHookRequest) {
  const payload = Object.fromEntries(PAYLOAD_PARAMS.filter((p) => request.params[p] !== undefined).map((p) => [p, [request.params[p]]]));
  return {
    session: {
      id_token: {
        id_token_claims: { sub: request.subject, ext: request.idTokenClaims ?? {} },
        headers: { extra: {} },
        username: '',
        subject: request.subject,
      },
      extra: request.accessTokenClaims,
      client_id: request.clientId,
      consent_challenge: request.consentChallenge ?? '',
      exclude_not_before_claim: false,
      allowed_top_level_claims: [],
    },
    request: {
      client_id: request.clientId,
      requested_scopes: request.requestedScopes,
      granted_scopes: request.grantedScopes,
      requested_audience: request.requestedAudience,
      granted_audience: request.grantedAudience,
      grant_types: [request.grantType],
      payload,
    },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

const hookFailed = (why: string) => Errors.serverError().withHint('The token hook failed.').withDebug(why);
