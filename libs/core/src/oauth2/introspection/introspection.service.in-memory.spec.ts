import { Client } from '../../clients/client.model';
import { Flow } from '../../flows/flow.model';
import { inMemoryCore, InMemoryCore } from '../../testing/in-memory-core';
import { addClient, addConsentSession, API_AUDIENCE, basicAuthorization, issueCode, specGrants } from '../../testing/oauth2-spec.fixtures';
import { TokenResponse } from '../token/token-endpoint.handler';

const HOUR = 3600_000;

/**
 * Introspection (RFC 7662) of tokens the real grants issued, over the stores. introspection.service.spec.ts
 * pins the answer's rules against a mocked resolver; this file pins them end to end through the codecs.
 */
describe('IntrospectionService over the stores', () => {
  let env: InMemoryCore;
  let client: Client;
  let secret: string;
  let flow: Flow;
  let issued: TokenResponse;

  beforeEach(async () => {
    env = await inMemoryCore();
    ({ client, secret } = await addClient(env, 'app'));
    flow = await addConsentSession(env, client, { scopes: ['openid', 'offline_access', 'profile'], audience: [API_AUDIENCE], accessTokenClaims: { tenant: 'acme' } });
    issued = await specGrants(env).authorizationCode.handle({
      grantType: 'authorization_code', client, params: { code: await issueCode(env, flow), redirect_uri: flow.request.redirectUri },
    });
  });

  const asClient = (token: string, id = 'app', key = secret) => env.core.introspection.introspectForClient({ token }, basicAuthorization(id, key));

  it('answers an access token with the claims of its grant, the consent\'s ext included', async () => {
    const answer = await asClient(issued.access_token);
    expect(answer).toMatchObject({
      active: true, client_id: 'app', sub: 'alice', scope: 'openid offline_access profile', aud: [API_AUDIENCE],
      iss: env.config.urlsSelfIssuer, token_type: 'Bearer', token_use: 'access_token', ext: { tenant: 'acme' },
    });
    expect(answer.exp! - answer.iat!).toBe(3600);
  });

  it('answers a refresh token as such to its own client only', async () => {
    expect(await asClient(issued.refresh_token!)).toMatchObject({ active: true, token_use: 'refresh_token' });
    const { secret: otherSecret } = await addClient(env, 'other');
    expect(await asClient(issued.refresh_token!, 'other', otherSecret)).toEqual({ active: false });
    expect(await asClient(issued.access_token, 'other', otherSecret)).toMatchObject({ active: true });
  });

  it('answers inactive for an expired access token', async () => {
    const old = await env.core.accessTokenIssuer.issue({ client, subject: 'alice', scopes: ['profile'], audience: [], lifespanMs: HOUR }, new Date(Date.now() - 2 * HOUR));
    await env.stores.tokens.insert([old.record]);
    expect(await asClient(old.token)).toEqual({ active: false });
  });

  it('answers inactive for every token of a chain revoked by a replayed code', async () => {
    const code = await issueCode(env, flow);
    const second = await specGrants(env).authorizationCode.handle({ grantType: 'authorization_code', client, params: { code, redirect_uri: flow.request.redirectUri } });
    await specGrants(env).authorizationCode.handle({ grantType: 'authorization_code', client, params: { code, redirect_uri: flow.request.redirectUri } }).catch(() => undefined);
    // The replayed code's flow is the consent session: every token it issued, the first code's too, is revoked.
    for (const token of [second.access_token, second.refresh_token!, issued.access_token]) expect(await asClient(token)).toEqual({ active: false });
  });

  it('answers inactive for a rotated refresh token, and active for its successor', async () => {
    const next = await specGrants(env).refreshToken.handle({ grantType: 'refresh_token', client, params: { refresh_token: issued.refresh_token! } });
    expect(await asClient(issued.refresh_token!)).toEqual({ active: false });
    expect(await asClient(next.refresh_token!)).toMatchObject({ active: true });
  });

  it('answers inactive for a token signed under another system secret', async () => {
    const foreign = await inMemoryCore({ SECRETS_SYSTEM: 'another-system-secret-0123456789' });
    expect(await asClient(foreign.core.opaqueCodec.mint('access_token').token)).toEqual({ active: false });
  });

  it('still verifies tokens minted under a previous system secret after a rotation', async () => {
    const rotated = await inMemoryCore({ SECRETS_SYSTEM: `new-system-secret-0123456789,${env.config.secretsSystem[0]}` });
    const minted = env.core.opaqueCodec.mint('access_token');
    const record = (await env.core.accessTokenIssuer.issue({ client, subject: 'alice', scopes: [], audience: [], lifespanMs: HOUR })).record;
    await addClient(rotated, 'app');
    await rotated.stores.tokens.insert([{ ...record, signature: minted.signature }]);
    expect(await rotated.core.introspection.introspect(minted.token)).toMatchObject({ active: true });
  });

  it('answers a pairwise client\'s token with its real subject and, as obfuscated_subject, the one its ID tokens carry (Hydra)', async () => {
    env = await inMemoryCore({ OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES: 'public,pairwise', OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: 'pairwise-salt-0123456789' });
    ({ client, secret } = await addClient(env, 'app', { metadata: { subject_type: 'pairwise' } }));
    flow = await addConsentSession(env, client, { scopes: ['openid'] });
    issued = await specGrants(env).authorizationCode.handle({
      grantType: 'authorization_code', client, params: { code: await issueCode(env, flow), redirect_uri: flow.request.redirectUri },
    });
    const idTokenSub = (JSON.parse(Buffer.from(issued.id_token!.split('.')[1], 'base64url').toString()) as { sub: string }).sub;
    expect(idTokenSub).not.toBe('alice');
    expect(await asClient(issued.access_token)).toMatchObject({ active: true, sub: 'alice', obfuscated_subject: idTokenSub });
    const { client: publicSubjects, secret: otherSecret } = await addClient(env, 'plain');
    const plain = await env.core.accessTokenIssuer.issue({ client: publicSubjects, subject: 'alice', scopes: [], audience: [], lifespanMs: HOUR });
    await env.stores.tokens.insert([plain.record]);
    expect((await asClient(plain.token, 'plain', otherSecret)).obfuscated_subject).toBeUndefined();

    // A subject the login app forced (force_subject_identifier) is the one the ID token carries, and the obfuscated one.
    const forcedFlow = await addConsentSession(env, client, { scopes: ['openid'], forceSubjectIdentifier: 'chosen-by-the-login-app' });
    const forced = await specGrants(env).authorizationCode.handle({
      grantType: 'authorization_code', client, params: { code: await issueCode(env, forcedFlow), redirect_uri: forcedFlow.request.redirectUri },
    });
    expect(JSON.parse(Buffer.from(forced.id_token!.split('.')[1], 'base64url').toString())).toMatchObject({ sub: 'chosen-by-the-login-app' });
    expect(await asClient(forced.access_token)).toMatchObject({ sub: 'alice', obfuscated_subject: 'chosen-by-the-login-app' });
  });
});
