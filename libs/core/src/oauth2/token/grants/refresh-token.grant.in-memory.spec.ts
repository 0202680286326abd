import { Client } from '../../../clients/client.model';
import { Flow } from '../../../flows/flow.model';
import { inMemoryCore, InMemoryCore } from '../../../testing/in-memory-core';
import { addClient, addConsentSession, API_AUDIENCE, issueCode, specGrants } from '../../../testing/oauth2-spec.fixtures';
import { TokenResponse } from '../token-endpoint.handler';
import { refusal } from '../../../testing/refusal';

const MINUTE = 60_000;

/**
 * The refresh token grant with rotation (RFC 6749 §6, RFC 9700 §4.14.2) against in-memory stores, with
 * the refresh tokens a real code redemption issued. refresh-token.grant.spec.ts pins the retries on
 * deadlocks with mocks; this file pins the rules and the races.
 */
describe('RefreshTokenGrant over the stores', () => {
  let env: InMemoryCore;
  let grants: ReturnType<typeof specGrants>;
  let client: Client;
  let flow: Flow;
  let issued: TokenResponse;

  async function setUp(env_: Record<string, string> = {}, clientMetadata: Partial<Client['metadata']> = {}): Promise<void> {
    env = await inMemoryCore(env_);
    grants = specGrants(env);
    ({ client } = await addClient(env, 'app', { metadata: clientMetadata }));
    flow = await addConsentSession(env, client, { scopes: ['openid', 'offline_access', 'profile'], audience: [API_AUDIENCE] });
    issued = await grants.authorizationCode.handle({
      grantType: 'authorization_code', client, params: { code: await issueCode(env, flow), redirect_uri: flow.request.redirectUri },
    });
  }

  const refresh = (token: string, params: Record<string, string> = {}, as: Client = client): Promise<TokenResponse> =>
    grants.refreshToken.handle({ grantType: 'refresh_token', client: as, params: { refresh_token: token, ...params } });
  const isActive = async (token: string) => (await env.core.introspection.introspect(token)).active;

  afterEach(() => jest.restoreAllMocks());

  describe('rotation', () => {
    beforeEach(() => setUp());

    it('answers a new pair, retires the presented refresh token and records when it was used', async () => {
      const next = await refresh(issued.refresh_token!);
      expect(next).toMatchObject({ token_type: 'bearer', scope: 'openid offline_access profile' });
      expect(next.refresh_token).toMatch(/^hy_rt_/);
      expect(next.refresh_token).not.toBe(issued.refresh_token);
      expect(next.id_token).toBeDefined();
      const old = env.stores.tokens.all().find((t) => t.kind === 'refresh_token' && !t.active)!;
      expect(old.usedAt).toBeInstanceOf(Date);
      expect(await isActive(next.access_token)).toBe(true);
      expect(await isActive(next.refresh_token!)).toBe(true);
      expect(await isActive(issued.refresh_token!)).toBe(false);
      // The new tokens belong to the same chain: the consent session's id.
      expect(env.stores.tokens.all().every((t) => t.requestId === flow.id)).toBe(true);
    });

    it('retires what the grant issued before at once (Hydra, at the default grace period of 0): the replaced access token too', async () => {
      const next = await refresh(issued.refresh_token!);
      const after = await refresh(next.refresh_token!);
      for (const token of [issued.access_token, next.access_token, next.refresh_token!]) expect(await isActive(token)).toBe(false);
      expect(await isActive(after.access_token)).toBe(true);
      expect(await isActive(after.refresh_token!)).toBe(true);
      // The retired refresh tokens keep the time they were used.
      expect(env.stores.tokens.all().filter((t) => t.kind === 'refresh_token' && t.usedAt instanceof Date)).toHaveLength(2);
    });

    it('keeps the chain going: each new refresh token works once', async () => {
      let token = issued.refresh_token!;
      for (let i = 0; i < 3; i++) token = (await refresh(token)).refresh_token!;
      expect(await isActive(token)).toBe(true);
    });

    it('narrows the access token to a requested subset of the scope, and keeps the full grant on the refresh token (RFC 6749 §6)', async () => {
      const narrowed = await refresh(issued.refresh_token!, { scope: 'profile' });
      expect(narrowed.scope).toBe('profile');
      expect((await env.core.introspection.introspect(narrowed.access_token)).scope).toBe('profile');
      const widenedAgain = await refresh(narrowed.refresh_token!);
      expect(widenedAgain.scope).toBe('openid offline_access profile');
    });

    it('does not repeat the nonce in a refreshed ID token (OIDC Core §12.2)', async () => {
      env = await inMemoryCore();
      grants = specGrants(env);
      ({ client } = await addClient(env, 'app'));
      const withNonce = await addConsentSession(env, client, { nonce: 'the-nonce' });
      const first = await grants.authorizationCode.handle({
        grantType: 'authorization_code', client, params: { code: await issueCode(env, withNonce), redirect_uri: withNonce.request.redirectUri },
      });
      const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      expect(claims(first.id_token!).nonce).toBe('the-nonce');
      expect(claims((await refresh(first.refresh_token!)).id_token!).nonce).toBeUndefined();
    });
  });

  describe('refusals', () => {
    beforeEach(() => setUp());

    it('refuses a request without refresh_token as invalid_request', async () => {
      expect((await refusal(grants.refreshToken.handle({ grantType: 'refresh_token', client, params: {} }))).error).toBe('invalid_request');
    });

    it('refuses an unknown, forged or wrong-kind token as invalid_grant', async () => {
      const forged = env.core.opaqueCodec.mint('refresh_token').token;
      for (const token of [forged, 'hy_rt_nonsense', issued.access_token]) expect((await refusal(refresh(token))).error).toBe('invalid_grant');
    });

    it('refuses another client\'s refresh token and leaves it usable by its own client', async () => {
      const { client: other } = await addClient(env, 'other');
      expect((await refusal(refresh(issued.refresh_token!, {}, other))).hint).toMatch(/another client/);
      expect(await isActive(issued.refresh_token!)).toBe(true);
      await expect(refresh(issued.refresh_token!)).resolves.toMatchObject({ token_type: 'bearer' });
    });

    it('refuses an expired refresh token', async () => {
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + env.config.ttlRefreshToken + MINUTE);
      expect((await refusal(refresh(issued.refresh_token!))).hint).toMatch(/expired/);
    });

    it('refuses a scope that was not granted, as invalid_scope, and rotates nothing', async () => {
      expect((await refusal(refresh(issued.refresh_token!, { scope: 'profile email' }))).error).toBe('invalid_scope');
      expect(await isActive(issued.refresh_token!)).toBe(true);
    });

    it('refuses once the client lost a granted audience', async () => {
      const narrowed = { ...client, metadata: { ...client.metadata, audience: [] } };
      expect((await refusal(refresh(issued.refresh_token!, {}, narrowed))).hint).toMatch(/audience/);
    });

    it('refuses once the consent session is revoked', async () => {
      await env.stores.flows.deleteByIds([flow.id]);
      expect((await refusal(refresh(issued.refresh_token!))).hint).toMatch(/consent/);
    });
  });

  describe('reuse outside OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD (the default 0s)', () => {
    beforeEach(() => setUp());

    it('refuses a retired token and revokes its whole chain, the tokens its rotation issued included', async () => {
      const next = await refresh(issued.refresh_token!);
      expect((await refusal(refresh(issued.refresh_token!))).hint).toMatch(/whole chain/);
      for (const token of [issued.access_token, next.access_token, next.refresh_token!]) expect(await isActive(token)).toBe(false);
      expect((await refusal(refresh(next.refresh_token!))).error).toBe('invalid_grant');
    });

    it('of two refreshes of one token at once, exactly one is answered; the other counts as reuse and revokes the chain', async () => {
      const outcomes = await Promise.allSettled([refresh(issued.refresh_token!), refresh(issued.refresh_token!)]);
      const won = outcomes.filter((o): o is PromiseFulfilledResult<TokenResponse> => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect([won.length, lost.length]).toEqual([1, 1]);
      expect(lost[0].reason).toMatchObject({ error: 'invalid_grant' });
      // Only one rotation wrote tokens, and the reuse revoked them with the rest of the chain.
      expect(env.stores.tokens.all().filter((t) => t.kind === 'refresh_token')).toHaveLength(2);
      expect(await isActive(won[0].value.refresh_token!)).toBe(false);
      expect(env.stores.tokens.all().filter((t) => t.active)).toEqual([]);
    });
  });

  describe('reuse within OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD', () => {
    beforeEach(() => setUp({ OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD: '1m' }));

    it('answers a new pair again for a token retired less than the grace period ago, and revokes nothing', async () => {
      const first = await refresh(issued.refresh_token!);
      const retry = await refresh(issued.refresh_token!);
      expect(retry.refresh_token).not.toBe(first.refresh_token);
      for (const token of [first.access_token, first.refresh_token!, retry.access_token, retry.refresh_token!]) expect(await isActive(token)).toBe(true);
    });

    it('lets the replaced tokens live on until the grace period ends, and no longer; the new pair lives its full lifetime', async () => {
      const next = await refresh(issued.refresh_token!);
      expect(await isActive(issued.access_token)).toBe(true);
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + MINUTE - 1000);
      expect(await isActive(issued.access_token)).toBe(true);
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + MINUTE + 1000);
      expect(await isActive(issued.access_token)).toBe(false);
      expect(await isActive(issued.refresh_token!)).toBe(false);
      expect(await isActive(next.access_token)).toBe(true);
      expect(await isActive(next.refresh_token!)).toBe(true);
    });

    it('treats a reuse after the grace period as theft and revokes the chain', async () => {
      const first = await refresh(issued.refresh_token!);
      jest.spyOn(Date, 'now').mockReturnValue(Date.now() + MINUTE + 1000);
      expect((await refusal(refresh(issued.refresh_token!))).hint).toMatch(/whole chain/);
      jest.restoreAllMocks();
      expect(await isActive(first.refresh_token!)).toBe(false);
    });

    it('keeps a revoked chain revoked, even within the grace period', async () => {
      const first = await refresh(issued.refresh_token!);
      await env.core.revocation.revokeFor(client, first.refresh_token!);
      expect((await refusal(refresh(issued.refresh_token!))).error).toBe('invalid_grant');
      expect(env.stores.tokens.all().filter((t) => t.active)).toEqual([]);
    });

    it('answers both of two refreshes of one token at once, and keeps the chain', async () => {
      const outcomes = await Promise.all([refresh(issued.refresh_token!), refresh(issued.refresh_token!)]);
      for (const outcome of outcomes) expect(await isActive(outcome.refresh_token!)).toBe(true);
    });
  });
});
