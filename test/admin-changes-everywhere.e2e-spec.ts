import request from 'supertest';
import { decodeProtectedHeader } from 'jose';
import { startTwoInstances, TwoInstances } from './support/test-runtime';

/**
 * Issue 12, item 8: a change made through the admin API of one instance applies to the very next request
 * another instance serves (two runtimes on one database, as two workers or two instances are). Nothing
 * waits here for a cache to expire.
 */

const KEY_SET = 'hydra.jwt.access-token';

describe('admin changes apply at once, everywhere', () => {
  let instances: TwoInstances;
  beforeAll(async () => {
    instances = await startTwoInstances({});
  });
  afterAll(() => instances?.close());

  async function createClient(fields: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
    const res = await request(instances.server.admin).post('/admin/clients').send({ grant_types: ['client_credentials'], ...fields }).expect(201);
    return { id: res.body.client_id, secret: res.body.client_secret };
  }
  const tokenAtSecond = (client: { id: string; secret: string }) =>
    request(instances.second).post('/oauth2/token').type('form').auth(client.id, client.secret).send({ grant_type: 'client_credentials' });

  it('issues the next token at the other instance with the lifespan just set', async () => {
    const client = await createClient();
    expect((await tokenAtSecond(client).expect(200)).body.expires_in).toBe(3600);
    await request(instances.server.admin).put(`/admin/clients/${client.id}/lifespans`).send({ client_credentials_grant_access_token_lifespan: '5m' }).expect(200);
    expect((await tokenAtSecond(client).expect(200)).body.expires_in).toBe(300);
  });

  it('refuses a replaced secret and then a deleted client at the other instance at once', async () => {
    const client = await createClient();
    await tokenAtSecond(client).expect(200);
    await request(instances.server.admin).put(`/admin/clients/${client.id}`).send({ grant_types: ['client_credentials'], client_secret: 'a-new-secret-0123456789' }).expect(200);
    expect((await tokenAtSecond(client).expect(401)).body.error).toBe('invalid_client');
    const replaced = { id: client.id, secret: 'a-new-secret-0123456789' };
    await tokenAtSecond(replaced).expect(200);
    await request(instances.server.admin).delete(`/admin/clients/${client.id}`).expect(204);
    expect((await tokenAtSecond(replaced).expect(401)).body.error).toBe('invalid_client');
  });

  it('publishes a new signing key at the other instance, signs with it there at once, and stops at once when it is deleted', async () => {
    const client = await createClient({ access_token_strategy: 'jwt' });
    const kidAtSecond = async () => decodeProtectedHeader((await tokenAtSecond(client).expect(200)).body.access_token).kid;
    const published = async () => ((await request(instances.second).get('/.well-known/jwks.json').expect(200)).body.keys as Array<{ kid: string }>).map((k) => k.kid);
    const before = await kidAtSecond();
    const publishedBefore = await published();

    const created = await request(instances.server.admin).post(`/admin/keys/${KEY_SET}`).send({ alg: 'RS256', use: 'sig' }).expect(201);
    const kid = created.body.keys[0].kid as string;
    expect(publishedBefore).not.toContain(kid);
    expect(await published()).toContain(kid);
    expect(await kidAtSecond()).toBe(kid);

    await request(instances.server.admin).delete(`/admin/keys/${KEY_SET}/${kid}`).expect(204);
    expect(await published()).not.toContain(kid);
    expect(await kidAtSecond()).toBe(before);
  });
});
