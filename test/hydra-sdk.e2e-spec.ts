import { Configuration, MetadataApi, OAuth2Api, OAuth2Client, OidcApi } from '@ory/hydra-client';
import { AxiosError } from 'axios';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';
import { sdkFailure } from './support/sdk-failure';

/**
 * Hydra's own SDK (`@ory/hydra-client` v26) against Hydrant's listening ports: if these calls work, the
 * wire shapes, paths, status codes and paging headers are Hydra's.
 */

/** The `page_token` of the Link header's rel="next" entry (Hydra's keyset paging), if any. */
function nextPageToken(link: unknown): string | undefined {
  if (typeof link !== 'string') return undefined;
  for (const entry of link.split(',')) {
    const match = /^\s*<([^>]*)>\s*;\s*rel="next"\s*$/.exec(entry);
    if (match) return new URL(match[1], 'http://link.invalid').searchParams.get('page_token') ?? undefined;
  }
  return undefined;
}

/** Every client a listing yields when walked page by page through the Link header. */
async function walkPages(
  api: OAuth2Api,
  params: { pageSize: number; clientName?: string; owner?: string },
): Promise<{ pages: OAuth2Client[][]; links: string[] }> {
  const pages: OAuth2Client[][] = [];
  const links: string[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < 100; i++) {
    const res = await api.listOAuth2Clients({ ...params, pageToken });
    expect(res.status).toBe(200);
    pages.push(res.data);
    links.push(String(res.headers['link'] ?? ''));
    pageToken = nextPageToken(res.headers['link']);
    if (pageToken === undefined) return { pages, links };
  }
  throw new Error('paging did not end');
}

function expectAdminError(error: AxiosError<Record<string, unknown>>, status: number, code?: string): void {
  expect(error.response?.status).toBe(status);
  const body = error.response?.data ?? {};
  expect(body).toEqual(
    expect.objectContaining({ error: code ?? expect.any(String), error_description: expect.any(String), status_code: status }),
  );
}

describe('Hydra SDK (@ory/hydra-client) against the admin port', () => {
  let server: TestServer;
  let oauth2: OAuth2Api;
  let metadata: MetadataApi;

  beforeAll(async () => {
    server = await startTestServer({}, { listen: true });
    const configuration = new Configuration({ basePath: await baseUrl(server.adminApp) });
    oauth2 = new OAuth2Api(configuration);
    metadata = new MetadataApi(configuration);
  });
  afterAll(() => server?.close());

  it('creates a client and answers its generated secret once', async () => {
    const res = await oauth2.createOAuth2Client({
      oAuth2Client: {
        client_name: 'sdk-create',
        redirect_uris: ['https://app.example.com/cb'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid offline_access',
      },
    });
    expect(res.status).toBe(201);
    expect(res.data.client_id).toEqual(expect.any(String));
    expect(res.data.client_secret).toEqual(expect.any(String));
    expect(res.data.client_secret!.length).toBeGreaterThanOrEqual(32);
    expect(res.data.client_name).toBe('sdk-create');
    expect(res.data.redirect_uris).toEqual(['https://app.example.com/cb']);
    expect(res.data.grant_types).toEqual(['authorization_code', 'refresh_token']);
    expect(res.data.token_endpoint_auth_method).toBe('client_secret_basic');
    expect(res.data.client_secret_expires_at).toBe(0);
    expect(Date.parse(res.data.created_at!)).not.toBeNaN();

    const read = await oauth2.getOAuth2Client({ id: res.data.client_id! });
    expect(read.status).toBe(200);
    expect(read.data.client_id).toBe(res.data.client_id);
    expect(read.data.client_name).toBe('sdk-create');
    expect(read.data.client_secret).toBeUndefined();
  });

  it('keeps a chosen client_id and client_secret, and refuses a taken id with 409', async () => {
    const res = await oauth2.createOAuth2Client({
      oAuth2Client: { client_id: 'sdk-chosen-id', client_secret: 'a-chosen-secret', client_name: 'chosen' },
    });
    expect(res.data.client_id).toBe('sdk-chosen-id');
    expect(res.data.client_secret).toBe('a-chosen-secret');

    const taken = await sdkFailure(oauth2.createOAuth2Client({ oAuth2Client: { client_id: 'sdk-chosen-id' } }));
    expectAdminError(taken, 409);
  });

  it('reads a client whose id needs URL encoding', async () => {
    const id = 'urn:sdk/odd?id=1&x#y';
    await oauth2.createOAuth2Client({ oAuth2Client: { client_id: id, client_name: 'odd' } });
    const read = await oauth2.getOAuth2Client({ id });
    expect(read.data.client_id).toBe(id);
    expect(read.data.client_name).toBe('odd');
  });

  it('answers invalid metadata as a 400 the SDK surfaces with the admin error shape', async () => {
    const error = await sdkFailure(oauth2.createOAuth2Client({ oAuth2Client: { redirect_uris: ['not a url'] } }));
    expectAdminError(error, 400, 'invalid_redirect_uri');
    const badMethod = await sdkFailure(oauth2.createOAuth2Client({ oAuth2Client: { token_endpoint_auth_method: 'magic' } }));
    expectAdminError(badMethod, 400, 'invalid_client_metadata');
  });

  describe('listing', () => {
    const ownerA = 'sdk-owner-a';
    const ownerB = 'sdk-owner-b';
    let ids: string[];

    beforeAll(async () => {
      ids = [];
      // Seven clients of one name and owner, four of another, so that pages of three split both.
      for (let i = 0; i < 11; i++) {
        const res = await oauth2.createOAuth2Client({
          oAuth2Client: { client_id: `list-${String(i).padStart(2, '0')}`, client_name: i < 7 ? 'paged' : 'other', owner: i < 7 ? ownerA : ownerB },
        });
        ids.push(res.data.client_id!);
      }
    });

    it('walks every client through pageSize and the rel="next" page_token, each once', async () => {
      const { pages, links } = await walkPages(oauth2, { pageSize: 3 });
      const all = pages.flat();
      expect(pages.length).toBeGreaterThan(1);
      for (const page of pages) expect(page.length).toBeLessThanOrEqual(3);
      for (const page of pages.slice(0, -1)) expect(page).toHaveLength(3);
      const seen = all.map((c) => c.client_id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of ids) expect(seen).toContain(id);
      // Everything created in this file is listed, and no page ever shows a secret.
      expect(all.every((c) => c.client_secret === undefined)).toBe(true);
      // Each page links the first page; only the last has no rel="next".
      for (const link of links) expect(link).toMatch(/rel="first"/);
      expect(links.slice(0, -1).every((l) => /rel="next"/.test(l))).toBe(true);
      expect(links[links.length - 1]).not.toMatch(/rel="next"/);

      const unpaged = await oauth2.listOAuth2Clients({ pageSize: 500 });
      expect(unpaged.data.map((c) => c.client_id).sort()).toEqual([...seen].sort());
    });

    it('filters by client_name across pages', async () => {
      const { pages } = await walkPages(oauth2, { pageSize: 3, clientName: 'paged' });
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      const all = pages.flat();
      expect(all.map((c) => c.client_id)).toEqual(ids.slice(0, 7));
      expect(all.every((c) => c.client_name === 'paged')).toBe(true);
    });

    it('filters by owner across pages', async () => {
      const { pages } = await walkPages(oauth2, { pageSize: 3, owner: ownerB });
      expect(pages.map((p) => p.length)).toEqual([3, 1]);
      expect(pages.flat().map((c) => c.client_id)).toEqual(ids.slice(7));
      expect(pages.flat().every((c) => c.owner === ownerB)).toBe(true);
    });

    it('combines both filters, and answers an empty page when nothing matches', async () => {
      const both = await oauth2.listOAuth2Clients({ pageSize: 10, clientName: 'paged', owner: ownerA });
      expect(both.data).toHaveLength(7);
      const none = await oauth2.listOAuth2Clients({ pageSize: 10, clientName: 'paged', owner: ownerB });
      expect(none.status).toBe(200);
      expect(none.data).toEqual([]);
      expect(nextPageToken(none.headers['link'])).toBeUndefined();
    });

    it('refuses a malformed page_token and an out-of-range page_size with 400', async () => {
      expectAdminError(await sdkFailure(oauth2.listOAuth2Clients({ pageToken: '!!not-a-token!!' })), 400);
      expectAdminError(await sdkFailure(oauth2.listOAuth2Clients({ pageSize: 0 })), 400);
    });
  });

  it('replaces a client with setOAuth2Client, keeping the secret unless a new one is sent', async () => {
    const created = await oauth2.createOAuth2Client({
      oAuth2Client: { client_name: 'before', redirect_uris: ['https://a.example.com/cb'], contacts: ['a@example.com'] },
    });
    const id = created.data.client_id!;

    const replaced = await oauth2.setOAuth2Client({
      id,
      oAuth2Client: { client_id: id, client_name: 'after', redirect_uris: ['https://b.example.com/cb'] },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.data.client_name).toBe('after');
    expect(replaced.data.redirect_uris).toEqual(['https://b.example.com/cb']);
    // PUT replaces: a field left out is back to its default.
    expect(replaced.data.contacts).toEqual([]);
    expect(replaced.data.client_secret).toBeUndefined();

    const withSecret = await oauth2.setOAuth2Client({ id, oAuth2Client: { client_name: 'after', redirect_uris: ['https://b.example.com/cb'], client_secret: 'a-brand-new-secret' } });
    expect(withSecret.data.client_secret).toBe('a-brand-new-secret');

    const read = await oauth2.getOAuth2Client({ id });
    expect(read.data.client_name).toBe('after');
    expect(read.data.client_secret).toBeUndefined();

    // Round trip: what GET answers can be PUT back unchanged.
    const roundTrip = await oauth2.setOAuth2Client({ id, oAuth2Client: read.data });
    expect(roundTrip.data.client_name).toBe('after');
    expect(roundTrip.data.redirect_uris).toEqual(['https://b.example.com/cb']);

    expectAdminError(await sdkFailure(oauth2.setOAuth2Client({ id, oAuth2Client: { client_id: 'someone-else' } })), 400);
    expectAdminError(await sdkFailure(oauth2.setOAuth2Client({ id: 'no-such-client', oAuth2Client: { client_name: 'x' } })), 404);
  });

  it('patches a client with JSON Patch operations', async () => {
    const created = await oauth2.createOAuth2Client({
      oAuth2Client: { client_name: 'patch-me', redirect_uris: ['https://a.example.com/cb'], contacts: ['x@example.com'], metadata: { tier: 'free' } },
    });
    const id = created.data.client_id!;

    const patched = await oauth2.patchOAuth2Client({
      id,
      jsonPatch: [
        { op: 'replace', path: '/client_name', value: 'patched' },
        { op: 'add', path: '/redirect_uris/-', value: 'https://b.example.com/cb' },
        { op: 'remove', path: '/contacts/0' },
        { op: 'add', path: '/metadata/tier', value: 'pro' },
        { op: 'test', path: '/token_endpoint_auth_method', value: 'client_secret_basic' },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.data.client_name).toBe('patched');
    expect(patched.data.redirect_uris).toEqual(['https://a.example.com/cb', 'https://b.example.com/cb']);
    expect(patched.data.contacts).toEqual([]);
    expect(patched.data.metadata).toEqual({ tier: 'pro' });
    expect(patched.data.client_secret).toBeUndefined();

    const read = await oauth2.getOAuth2Client({ id });
    expect(read.data.client_name).toBe('patched');
    expect(read.data.redirect_uris).toHaveLength(2);

    // A failing test op, a changed client_id and a patch that breaks the rules all leave the client as it was.
    expectAdminError(await sdkFailure(oauth2.patchOAuth2Client({ id, jsonPatch: [{ op: 'test', path: '/client_name', value: 'nope' }] })), 400);
    expectAdminError(await sdkFailure(oauth2.patchOAuth2Client({ id, jsonPatch: [{ op: 'replace', path: '/client_id', value: 'other' }] })), 400);
    expectAdminError(
      await sdkFailure(oauth2.patchOAuth2Client({ id, jsonPatch: [{ op: 'replace', path: '/redirect_uris', value: ['relative/cb'] }] })),
      400,
      'invalid_redirect_uri',
    );
    expect((await oauth2.getOAuth2Client({ id })).data.client_name).toBe('patched');
    expectAdminError(await sdkFailure(oauth2.patchOAuth2Client({ id: 'no-such-client', jsonPatch: [] })), 404);
  });

  it('sets per-grant lifespans with setOAuth2ClientLifespans', async () => {
    const created = await oauth2.createOAuth2Client({ oAuth2Client: { client_name: 'lifespans' } });
    const id = created.data.client_id!;
    const res = await oauth2.setOAuth2ClientLifespans({
      id,
      oAuth2ClientTokenLifespans: {
        authorization_code_grant_access_token_lifespan: '30m0s',
        client_credentials_grant_access_token_lifespan: '2h0m0s',
        refresh_token_grant_refresh_token_lifespan: '720h0m0s',
      },
    });
    expect(res.status).toBe(200);
    expect(res.data.client_name).toBe('lifespans');
    const read = await oauth2.getOAuth2Client({ id });
    expect(read.data.authorization_code_grant_access_token_lifespan).toBe('30m0s');
    expect(read.data.client_credentials_grant_access_token_lifespan).toBe('2h0m0s');
    expect(read.data.refresh_token_grant_refresh_token_lifespan).toBe('720h0m0s');
    expect(read.data.implicit_grant_access_token_lifespan ?? null).toBeNull();

    const bad = await sdkFailure(
      oauth2.setOAuth2ClientLifespans({ id, oAuth2ClientTokenLifespans: { authorization_code_grant_access_token_lifespan: 'soon' } }),
    );
    expectAdminError(bad, 400);
    expectAdminError(await sdkFailure(oauth2.setOAuth2ClientLifespans({ id: 'no-such-client', oAuth2ClientTokenLifespans: {} })), 404);
  });

  it('deletes a client; reading it afterwards is a 404 with the admin error body', async () => {
    const created = await oauth2.createOAuth2Client({ oAuth2Client: { client_name: 'delete-me' } });
    const id = created.data.client_id!;
    const deleted = await oauth2.deleteOAuth2Client({ id });
    expect(deleted.status).toBe(204);

    const error = await sdkFailure(oauth2.getOAuth2Client({ id }));
    expect(error.response?.status).toBe(404);
    expect(error.response?.data).toEqual({ error: expect.any(String), error_description: expect.any(String), status_code: 404 });
    expect(error.response?.data.error).toBe('not_found');

    expectAdminError(await sdkFailure(oauth2.deleteOAuth2Client({ id })), 404);
    const listed = await oauth2.listOAuth2Clients({ pageSize: 500 });
    expect(listed.data.map((c) => c.client_id)).not.toContain(id);
  });

  it('MetadataApi: isAlive, isReady and getVersion', async () => {
    const alive = await metadata.isAlive();
    expect(alive.status).toBe(200);
    expect(alive.data.status).toBe('ok');
    const ready = await metadata.isReady();
    expect(ready.status).toBe(200);
    expect(ready.data.status).toBe('ok');
    const version = await metadata.getVersion();
    expect(version.status).toBe(200);
    expect(version.data.version).toMatch(/^v\d+\.\d+\.\d+/);
  });
});

describe('Hydra SDK with SERVE_ADMIN_API_KEYS', () => {
  const KEYS = ['admin-key-0123456789abcdef', 'admin-key-fedcba9876543210'];
  let server: TestServer;
  let adminUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ SERVE_ADMIN_API_KEYS: KEYS.join(',') }, { listen: true });
    adminUrl = await baseUrl(server.adminApp);
  });
  afterAll(() => server?.close());

  it('refuses admin calls without a key, with 401, the admin error body and a Bearer challenge', async () => {
    const api = new OAuth2Api(new Configuration({ basePath: adminUrl }));
    const error = await sdkFailure(api.listOAuth2Clients());
    expectAdminError(error, 401);
    expect(String(error.response?.headers['www-authenticate'])).toMatch(/^Bearer\b/);
    expectAdminError(await sdkFailure(new MetadataApi(new Configuration({ basePath: adminUrl })).getVersion()), 401);
  });

  it('refuses a wrong key', async () => {
    const api = new OAuth2Api(new Configuration({ basePath: adminUrl, baseOptions: { headers: { Authorization: 'Bearer not-the-key-0123456789' } } }));
    expectAdminError(await sdkFailure(api.createOAuth2Client({ oAuth2Client: { client_name: 'x' } })), 401);
    const prefixOfKey = new OAuth2Api(new Configuration({ basePath: adminUrl, baseOptions: { headers: { Authorization: `Bearer ${KEYS[0].slice(0, -1)}` } } }));
    expectAdminError(await sdkFailure(prefixOfKey.listOAuth2Clients()), 401);
  });

  it('accepts every configured key sent as a bearer token', async () => {
    for (const key of KEYS) {
      const configuration = new Configuration({ basePath: adminUrl, accessToken: key, baseOptions: { headers: { Authorization: `Bearer ${key}` } } });
      const api = new OAuth2Api(configuration);
      const created = await api.createOAuth2Client({ oAuth2Client: { client_name: 'with-key' } });
      expect(created.status).toBe(201);
      expect((await api.getOAuth2Client({ id: created.data.client_id! })).data.client_name).toBe('with-key');
      expect((await api.listOAuth2Clients()).status).toBe(200);
      expect((await new MetadataApi(configuration).getVersion()).data.version).toMatch(/^v\d+\.\d+\.\d+/);
    }
  });

  it('SDK v26 attaches `accessToken` only to the bearer-secured operations, not to admin ones', async () => {
    // The generated OAuth2Api declares no security for the admin operations, so `accessToken` alone is never
    // sent: callers of a key-protected admin API must set the header through `baseOptions` (as above).
    const api = new OAuth2Api(new Configuration({ basePath: adminUrl, accessToken: KEYS[0] }));
    expectAdminError(await sdkFailure(api.listOAuth2Clients()), 401);
  });

  it('leaves the health probes open without a key', async () => {
    const api = new MetadataApi(new Configuration({ basePath: adminUrl }));
    expect((await api.isAlive()).data.status).toBe('ok');
    expect((await api.isReady()).data.status).toBe('ok');
  });
});

describe('Hydra SDK OidcApi (dynamic registration) with accessToken on the public port', () => {
  let server: TestServer;
  let publicUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ OIDC_DYNAMIC_CLIENT_REGISTRATION_ENABLED: 'true' }, { listen: true });
    publicUrl = await baseUrl(server.publicApp);
  });
  afterAll(() => server?.close());

  it('registers, reads, updates and deletes a client with the registration access token', async () => {
    const anonymous = new OidcApi(new Configuration({ basePath: publicUrl }));
    const registered = await anonymous.createOidcDynamicClient({
      oAuth2Client: { client_name: 'sdk-dcr', redirect_uris: ['https://rp.example.com/cb'] },
    });
    expect(registered.status).toBe(201);
    const id = registered.data.client_id!;
    const token = registered.data.registration_access_token!;
    expect(registered.data.client_secret).toEqual(expect.any(String));
    expect(token).toEqual(expect.any(String));

    const owner = new OidcApi(new Configuration({ basePath: publicUrl, accessToken: token }));
    const read = await owner.getOidcDynamicClient({ id });
    expect(read.data.client_name).toBe('sdk-dcr');
    expect(read.data.client_secret).toBeUndefined();

    const updated = await owner.setOidcDynamicClient({ id, oAuth2Client: { ...read.data, client_name: 'sdk-dcr-renamed' } });
    expect(updated.data.client_name).toBe('sdk-dcr-renamed');
    const rotated = updated.data.registration_access_token!;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(token);

    expect((await sdkFailure(owner.getOidcDynamicClient({ id }))).response?.status).toBe(401);
    const renewed = new OidcApi(new Configuration({ basePath: publicUrl, accessToken: rotated }));
    expect((await renewed.deleteOidcDynamicClient({ id })).status).toBe(204);
    expect((await sdkFailure(renewed.getOidcDynamicClient({ id }))).response?.status).toBe(401);
  });
});
