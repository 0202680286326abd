import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { Client } from '../../../clients/client.model';
import { Flow } from '../../../flows/flow.model';
import { inMemoryCore, InMemoryCore } from '../../../testing/in-memory-core';
import { addClient, addConsentSession, issueCode, specGrants } from '../../../testing/oauth2-spec.fixtures';
import { TokenResponse } from '../token-endpoint.handler';
import { refusal } from '../../../testing/refusal';

const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-long-enough';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const HOUR = 3600_000;

/** RFC 6749 §4.1.3 and RFC 7636 at the token endpoint, against in-memory stores and the real codecs. */
describe('AuthorizationCodeGrant', () => {
  let env: InMemoryCore;
  let grants: ReturnType<typeof specGrants>;
  let client: Client;
  let flow: Flow;

  beforeEach(async () => {
    env = await inMemoryCore();
    grants = specGrants(env);
    ({ client } = await addClient(env, 'app'));
    flow = await addConsentSession(env, client, { scopes: ['openid', 'offline_access'], codeChallenge: CHALLENGE, nonce: 'n-0S6_WzA2Mj' });
  });

  const redeem = (code: string, params: Record<string, string> = {}, as: Client = client): Promise<TokenResponse> =>
    grants.authorizationCode.handle({
      grantType: 'authorization_code',
      client: as,
      params: { code, redirect_uri: flow.request.redirectUri, code_verifier: VERIFIER, ...params },
    });
  const activeTokensOf = (requestId: string) => env.stores.tokens.all().filter((t) => t.requestId === requestId && t.active);

  describe('a valid redemption', () => {
    it('answers an access token, a refresh token (offline_access) and an ID token, and stores them under the consent session', async () => {
      const response = await redeem(await issueCode(env, flow));
      expect(response).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'openid offline_access' });
      expect(response.access_token).toMatch(/^hy_at_/);
      expect(response.refresh_token).toMatch(/^hy_rt_/);
      const idToken = decodeJwt(response.id_token!);
      expect(idToken).toMatchObject({ iss: env.config.urlsSelfIssuer, sub: 'alice', aud: ['app'], nonce: 'n-0S6_WzA2Mj', sid: flow.loginSessionId });
      expect(activeTokensOf(flow.id).map((t) => t.kind).sort()).toEqual(['access_token', 'refresh_token']);
      expect(await env.core.tokenResolver.resolve(response.access_token)).toMatchObject({ subject: 'alice', clientId: 'app', requestId: flow.id });
    });

    it('issues no refresh token without an offline scope, and no ID token without openid', async () => {
      const plain = await addConsentSession(env, client, { scopes: ['profile'] });
      const response = await redeem(await issueCode(env, plain), { code_verifier: undefined as never });
      expect(response.refresh_token).toBeUndefined();
      expect(response.id_token).toBeUndefined();
      expect(response.scope).toBe('profile');
    });

    it('issues no refresh token to a client that may not use the refresh_token grant, even with offline_access', async () => {
      const { client: noRefresh } = await addClient(env, 'no-refresh', { metadata: { grant_types: ['authorization_code'] } });
      const session = await addConsentSession(env, noRefresh, { scopes: ['offline_access'] });
      const response = await grants.authorizationCode.handle({
        grantType: 'authorization_code', client: noRefresh, params: { code: await issueCode(env, session), redirect_uri: session.request.redirectUri },
      });
      expect(response.refresh_token).toBeUndefined();
    });

    it('takes the access token lifespan from the client\'s authorization_code_grant_access_token_lifespan', async () => {
      const { client: short } = await addClient(env, 'short', { metadata: { authorization_code_grant_access_token_lifespan: '30m' } });
      const session = await addConsentSession(env, short, { scopes: ['profile'] });
      const response = await grants.authorizationCode.handle({
        grantType: 'authorization_code', client: short, params: { code: await issueCode(env, session), redirect_uri: session.request.redirectUri },
      });
      expect(response.expires_in).toBe(1800);
    });

    it('accepts a token request without redirect_uri when the authorization request named none (RFC 6749 §4.1.3)', async () => {
      const implicitUri = await addConsentSession(env, client, { redirectUriGiven: false, scopes: ['profile'] });
      const code = await issueCode(env, implicitUri);
      await expect(grants.authorizationCode.handle({ grantType: 'authorization_code', client, params: { code } })).resolves.toMatchObject({ scope: 'profile' });
    });
  });

  describe('refusals', () => {
    it('refuses a request without a code as invalid_request', async () => {
      expect(await refusal(grants.authorizationCode.handle({ grantType: 'authorization_code', client, params: {} }))).toMatchObject({ error: 'invalid_request' });
    });

    it('refuses an unknown, malformed or forged code as invalid_grant', async () => {
      const forged = env.core.opaqueCodec.mint('authorization_code').token; // well-formed, never stored
      const otherSecret = (await inMemoryCore({ SECRETS_SYSTEM: 'another-system-secret-0123456789' })).core.opaqueCodec.mint('authorization_code').token;
      for (const code of [forged, otherSecret, 'hy_ac_nonsense', (await issueCode(env, flow)).replace('hy_ac_', 'hy_rt_')]) {
        expect(await refusal(redeem(code))).toMatchObject({ error: 'invalid_grant', statusCode: 400 });
      }
    });

    it('refuses a code issued to another client, and leaves it for the client it was issued to', async () => {
      const { client: thief } = await addClient(env, 'thief');
      const code = await issueCode(env, flow);
      expect((await refusal(redeem(code, {}, thief))).hint).toMatch(/another client/);
      await expect(redeem(code)).resolves.toMatchObject({ scope: 'openid offline_access' });
    });

    it('refuses an expired code', async () => {
      const code = await issueCode(env, flow, new Date(Date.now() - HOUR));
      expect((await refusal(redeem(code))).hint).toMatch(/expired/);
      expect(activeTokensOf(flow.id)).toEqual([]);
    });

    it('refuses a code whose consent session was revoked since', async () => {
      const code = await issueCode(env, flow);
      await env.stores.flows.deleteByIds([flow.id]);
      expect((await refusal(redeem(code))).error).toBe('invalid_grant');
    });

    it('refuses a redirect_uri that is missing or differs from the authorization request\'s', async () => {
      const code = await issueCode(env, flow);
      expect((await refusal(redeem(code, { redirect_uri: undefined as never }))).hint).toMatch(/redirect_uri/);
      expect((await refusal(redeem(code, { redirect_uri: 'https://app.example/other' }))).hint).toMatch(/redirect_uri/);
      const unnamed = await addConsentSession(env, client, { redirectUriGiven: false });
      expect((await refusal(redeem(await issueCode(env, unnamed), { redirect_uri: 'https://app.example/other', code_verifier: undefined as never }))).error).toBe('invalid_grant');
    });

    describe('PKCE, S256 only (RFC 7636 §4.6)', () => {
      it('refuses a missing verifier', async () => {
        expect((await refusal(redeem(await issueCode(env, flow), { code_verifier: undefined as never }))).hint).toMatch(/missing/);
      });

      it('refuses a verifier that does not hash to the challenge', async () => {
        const wrong = VERIFIER.replace('d', 'e');
        expect((await refusal(redeem(await issueCode(env, flow), { code_verifier: wrong }))).hint).toMatch(/does not match/);
      });

      it('refuses a verifier outside RFC 7636\'s alphabet or length, even the challenge itself', async () => {
        for (const verifier of ['short', 'x'.repeat(129), `${VERIFIER}!`]) {
          expect((await refusal(redeem(await issueCode(env, flow), { code_verifier: verifier }))).hint).toMatch(/malformed/);
        }
        expect((await refusal(redeem(await issueCode(env, flow), { code_verifier: CHALLENGE }))).error).toBe('invalid_grant');
      });

      it('refuses a verifier when the authorization request had no challenge (downgrade, RFC 9700 §2.1.1)', async () => {
        const withoutPkce = await addConsentSession(env, client);
        expect((await refusal(redeem(await issueCode(env, withoutPkce)))).hint).toMatch(/no code challenge/);
      });

      it('issues nothing on any PKCE failure', async () => {
        await refusal(redeem(await issueCode(env, flow), { code_verifier: VERIFIER.replace('d', 'e') }));
        expect(env.stores.tokens.all()).toEqual([]);
      });
    });
  });

  describe('single use (RFC 6749 §4.1.2, RFC 9700 §4.5)', () => {
    it('refuses a second redemption and revokes every token the first one issued', async () => {
      const code = await issueCode(env, flow);
      const first = await redeem(code);
      expect((await refusal(redeem(code))).hint).toMatch(/already been used/);
      expect(activeTokensOf(flow.id)).toEqual([]);
      expect(await env.core.introspection.introspect(first.access_token)).toEqual({ active: false });
      const refresh = grants.refreshToken.handle({ grantType: 'refresh_token', client, params: { refresh_token: first.refresh_token! } });
      expect((await refusal(refresh)).error).toBe('invalid_grant');
    });

    it('of two redemptions at once, exactly one is answered tokens, the other invalid_grant, and the replay revokes the winner\'s tokens', async () => {
      const code = await issueCode(env, flow);
      const outcomes = await Promise.allSettled([redeem(code), redeem(code)]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toMatchObject({ error: 'invalid_grant' });
      const winner = (won[0] as PromiseFulfilledResult<TokenResponse>).value;
      expect(env.stores.tokens.all().filter((t) => t.requestId === flow.id)).toHaveLength(2); // only the winner's pair was stored
      expect(activeTokensOf(flow.id)).toEqual([]);
      expect(await env.core.introspection.introspect(winner.access_token)).toEqual({ active: false });
    });

    it('of many redemptions at once, stores one set of tokens and answers invalid_grant to all the others', async () => {
      const code = await issueCode(env, flow);
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => redeem(code)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'rejected').every((o) => (o as PromiseRejectedResult).reason.error === 'invalid_grant')).toBe(true);
      expect(env.stores.tokens.all()).toHaveLength(2);
    });

    it('revokes only what that code issued, not another consent session of the same client and subject', async () => {
      const other = await addConsentSession(env, client, { codeChallenge: CHALLENGE });
      const kept = await redeem(await issueCode(env, other));
      const code = await issueCode(env, flow);
      await redeem(code);
      await refusal(redeem(code));
      expect(await env.core.introspection.introspect(kept.access_token)).toMatchObject({ active: true });
    });
  });
});
