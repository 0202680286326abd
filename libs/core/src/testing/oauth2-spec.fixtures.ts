import { randomUUID } from 'node:crypto';
import { ClientMetadata, defaultMetadata, TokenEndpointAuthMethod } from '../clients/client.metadata';
import { Client } from '../clients/client.model';
import { Flow } from '../flows/flow.model';
import { FlowTokenIssuer } from '../oauth2/token/flow-token.issuer';
import { AuthorizationCodeGrant } from '../oauth2/token/grants/authorization-code.grant';
import { ClientCredentialsGrant } from '../oauth2/token/grants/client-credentials.grant';
import { RefreshTokenGrant } from '../oauth2/token/grants/refresh-token.grant';
import { InMemoryCore } from './in-memory-core';

/**
 * What the fast specs of the token side share (grants, token endpoint, client authentication,
 * introspection, revocation): clients with real secret hashes, consent sessions as the flows leave them,
 * authorization codes as FlowReturn issues them, all written through the in-memory stores.
 */

export const API_AUDIENCE = 'https://api.example/';

export interface SpecClientOptions {
  method?: TokenEndpointAuthMethod;
  metadata?: Partial<ClientMetadata>;
  /** The secret of a secret method (default `<id>-secret`), stored hashed as Hydrant stores generated secrets. */
  secret?: string;
  /** Secrets still valid after a rotation, newest first. */
  rotated?: string[];
}

/** Stores a client (a confidential code-flow client by default) and answers it with its secret in clear. */
export async function addClient(env: InMemoryCore, id: string, options: SpecClientOptions = {}): Promise<{ client: Client; secret: string }> {
  const method = options.method ?? 'client_secret_basic';
  const secret = options.secret ?? `${id}-secret`;
  const hasher = env.core.hasher;
  const now = new Date();
  const client: Client = {
    id,
    metadata: {
      ...defaultMetadata(),
      redirect_uris: [`https://${id}.example/cb`],
      response_types: ['code'],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      scope: 'openid offline_access profile email',
      audience: [API_AUDIENCE],
      token_endpoint_auth_method: method,
      ...options.metadata,
    },
    secretHash: method.startsWith('client_secret') ? hasher.hashGenerated(secret) : null,
    rotatedSecretHashes: (options.rotated ?? []).map((s) => hasher.hashGenerated(s)),
    registrationTokenHash: null,
    application: null,
    createdAt: now,
    updatedAt: now,
  };
  await env.stores.clients.insert(client);
  return { client, secret };
}

export interface SpecConsentOptions {
  subject?: string;
  scopes?: string[];
  audience?: string[];
  codeChallenge?: string;
  /** Whether the authorization request named its redirect_uri (default true). */
  redirectUriGiven?: boolean;
  nonce?: string;
  accessTokenClaims?: Record<string, unknown>;
  /** The login app's force_subject_identifier. */
  forceSubjectIdentifier?: string;
}

/** Stores a flow as the consent verifier leaves it: a granted consent session of `client`. */
export async function addConsentSession(env: InMemoryCore, client: Client, options: SpecConsentOptions = {}): Promise<Flow> {
  const now = new Date();
  const scopes = options.scopes ?? ['openid', 'offline_access'];
  const audience = options.audience ?? [];
  const redirectUri = client.metadata.redirect_uris[0];
  const flow: Flow = {
    id: randomUUID(),
    state: 'consent_used',
    clientId: client.id,
    subject: options.subject ?? 'alice',
    loginSessionId: randomUUID(),
    csrf: 'csrf-digest',
    loginVerifier: null,
    consentChallenge: randomUUID(),
    consentVerifier: null,
    request: {
      requestUrl: `${env.config.urlsSelfIssuer}oauth2/auth?client_id=${client.id}`,
      redirectUri,
      redirectUriGiven: options.redirectUriGiven ?? true,
      responseType: 'code',
      scopes,
      audience,
      state: 'state-of-the-client',
      nonce: options.nonce,
      codeChallenge: options.codeChallenge,
      codeChallengeMethod: options.codeChallenge === undefined ? undefined : 'S256',
      prompt: [],
      acrValues: [],
      uiLocales: [],
    },
    login: {
      skip: false, subject: options.subject ?? 'alice', remember: false, rememberFor: 0, acr: '', amr: ['pwd'], context: {},
      extendSessionLifespan: false, forceSubjectIdentifier: options.forceSubjectIdentifier ?? '', identityProviderSessionId: '', authTime: Math.floor(now.getTime() / 1000), redirectTo: '',
    },
    consent: {
      skip: false, grantScope: scopes, grantAudience: audience, remember: false, rememberFor: 0, accessTokenClaims: options.accessTokenClaims ?? {},
      idTokenClaims: {}, context: {}, handledAt: Math.floor(now.getTime() / 1000), redirectTo: '',
    },
    consentSkip: false,
    requestedAt: now,
    expiresAt: new Date(now.getTime() + env.config.ttlLoginConsentRequest),
    granted: true,
    remember: false,
    rememberUntil: null,
  };
  await env.stores.flows.insert(flow);
  return flow;
}

/** Issues an authorization code for a consent session, as FlowReturn does; `expiresAt` defaults to TTL_AUTH_CODE from now. */
export async function issueCode(env: InMemoryCore, flow: Flow, expiresAt = new Date(Date.now() + env.config.ttlAuthCode)): Promise<string> {
  const { token, signature } = env.core.opaqueCodec.mint('authorization_code');
  await env.stores.codes.insert({ signature, flowId: flow.id, clientId: flow.clientId, expiresAt, used: false });
  return token;
}

/**
 * The three grants as oauth2.wiring.ts builds them, on the same objects as `env.core` (the token endpoint
 * keeps its own instances private), so that specs can call one handler directly.
 */
export function specGrants(env: InMemoryCore) {
  const { config, stores, transactions, core } = env;
  const flowTokens = new FlowTokenIssuer(core.accessTokenIssuer, core.opaqueCodec, core.idTokenCodec, core.tokenHook, config);
  return {
    clientCredentials: new ClientCredentialsGrant(core.accessTokenIssuer, stores.tokens, core.tokenHook, config),
    authorizationCode: new AuthorizationCodeGrant(core.opaqueCodec, stores.codes, stores.flows, stores.tokens, flowTokens, transactions),
    refreshToken: new RefreshTokenGrant(core.opaqueCodec, stores.tokens, stores.flows, flowTokens, transactions, config),
  };
}

/** RFC 6749 §2.3.1: HTTP Basic credentials, each part form-urlencoded. */
export function basicAuthorization(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}
