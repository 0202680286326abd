import request from 'supertest';
import { Browser, codeRequest, createClient, FlowServer, grantAll, startFlowServer, tokenRequest } from './support/browser-flow';
import { parseSamples, Sample, sumOf } from './support/prometheus-text';
import { startTestServer, TestServer } from './support/test-runtime';

const COUNT = 'hydrant_http_request_duration_seconds_count';

/** GET /metrics/prometheus: request durations of both ports and the process's own metrics, on the admin port only. */
describe('Prometheus metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  async function scrape(): Promise<Sample[]> {
    const res = await request(server.admin).get('/metrics/prometheus').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseSamples(res.text);
  }

  it('counts requests of both apps by route template, method and status code', async () => {
    const before = await scrape();
    const created = await request(server.admin).post('/admin/clients').send({ grant_types: ['client_credentials'] }).expect(201);
    const { client_id: id, client_secret: secret } = created.body as { client_id: string; client_secret: string };
    for (let i = 0; i < 3; i++) {
      await request(server.public).post('/oauth2/token').type('form').auth(id, secret).send({ grant_type: 'client_credentials' }).expect(200);
    }
    await request(server.public).post('/oauth2/token').type('form').auth(id, 'wrong').send({ grant_type: 'client_credentials' }).expect(401);
    await request(server.admin).get(`/admin/clients/${encodeURIComponent(id)}`).expect(200);
    await request(server.admin).get(`/clients/${encodeURIComponent(id)}`).expect(200); // the legacy path, rewritten
    await request(server.public).get('/no/such/path?x=1').expect(404);

    const after = await scrape();
    const delta = (labels: Record<string, string>) => sumOf(after, COUNT, labels) - sumOf(before, COUNT, labels);
    expect(delta({ app: 'public', method: 'POST', route: '/oauth2/token', status_code: '200' })).toBe(3);
    expect(delta({ app: 'public', method: 'POST', route: '/oauth2/token', status_code: '401' })).toBe(1);
    expect(delta({ app: 'admin', method: 'POST', route: '/admin/clients', status_code: '201' })).toBe(1);
    expect(delta({ app: 'admin', method: 'GET', route: '/admin/clients/:id', status_code: '200' })).toBe(2);
    expect(delta({ app: 'public', route: 'unmatched', status_code: '404' })).toBe(1);
    // The raw URL never becomes a label: one series per template, whatever the ids.
    expect(after.some((s) => s.labels.route?.includes(id) || s.labels.route?.includes('/no/such'))).toBe(false);
    // The previous scrape was itself observed once its response was out.
    expect(delta({ app: 'admin', method: 'GET', route: '/metrics/prometheus', status_code: '200' })).toBe(1);
  });

  it('includes the default process and Node.js metrics, prefixed hydrant_', async () => {
    const names = new Set((await scrape()).map((s) => s.name));
    for (const name of ['hydrant_process_cpu_user_seconds_total', 'hydrant_process_resident_memory_bytes', 'hydrant_nodejs_heap_size_used_bytes', 'hydrant_nodejs_eventloop_lag_seconds']) {
      expect(names).toContain(name);
    }
  });

  it('is not served on the public port', async () => {
    await request(server.public).get('/metrics/prometheus').expect(404);
  });

  describe('with SERVE_ADMIN_API_KEYS', () => {
    const KEY = 'metrics-admin-key-0123456789';
    let guarded: TestServer;
    beforeAll(async () => {
      guarded = await startTestServer({ SERVE_ADMIN_API_KEYS: KEY });
    });
    afterAll(() => guarded?.close());

    it('refuses a scrape without the key with 401 and serves it with the key', async () => {
      const refused = await request(guarded.admin).get('/metrics/prometheus').expect(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Bearer\b/);
      await request(guarded.admin).get('/metrics/prometheus').set('Authorization', 'Bearer wrong-key').expect(401);
      const served = await request(guarded.admin).get('/metrics/prometheus').set('Authorization', `Bearer ${KEY}`).expect(200);
      expect(served.text).toContain(COUNT);
    });
  });
});

/**
 * Hydrant's own counters: each moves by exactly one per event (tokens issued by grant type, failed client
 * authentications by method, login/consent/logout decisions by outcome), and a decision taken again
 * (Hydra's 410) counts nothing. metrics-cluster.e2e-spec.ts shows a scrape sums every worker.
 */
describe('domain counters', () => {
  let env: FlowServer;
  beforeAll(async () => {
    env = await startFlowServer();
  });
  afterAll(() => env.close());

  const scrape = async () => parseSamples(await (await fetch(`${env.adminUrl}/metrics/prometheus`)).text());

  it('counts tokens issued by grant type and failed client authentications by method', async () => {
    const client = await createClient(env.adminUrl, { grant_types: ['client_credentials'] });
    const basic = { id: client.client_id, secret: client.client_secret! };
    const before = await scrape();
    for (let i = 0; i < 2; i++) expect((await tokenRequest(env.publicUrl, { grant_type: 'client_credentials' }, basic)).status).toBe(200);
    expect((await tokenRequest(env.publicUrl, { grant_type: 'client_credentials' }, { ...basic, secret: 'wrong' })).status).toBe(401);
    expect((await tokenRequest(env.publicUrl, { grant_type: 'client_credentials', client_id: basic.id, client_secret: 'wrong' })).status).toBe(401);
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(delta('hydrant_tokens_issued_total', { grant_type: 'client_credentials' })).toBe(2);
    expect(delta('hydrant_tokens_issued_total', {})).toBe(2);
    expect(delta('hydrant_client_authentication_failures_total', { method: 'client_secret_basic' })).toBe(1);
    expect(delta('hydrant_client_authentication_failures_total', { method: 'client_secret_post' })).toBe(1);
  });

  it('counts login and consent decisions by outcome, once each', async () => {
    const client = await createClient(env.adminUrl, { redirect_uris: ['https://rp.example/cb'], scope: 'openid', grant_types: ['authorization_code'], response_types: ['code'] });
    const before = await scrape();
    // One flow accepted at login and at consent; one rejected at login, and its rejection sent again.
    const accepted = await env.driver.run(new Browser(), codeRequest(env.publicUrl, client.client_id, 'https://rp.example/cb', { scope: 'openid' }).url, {
      login: { accept: { subject: 'counted' } },
      consent: grantAll(),
    });
    expect(accepted.params.get('code')).toEqual(expect.any(String));
    const rejected = await env.driver.run(new Browser(), codeRequest(env.publicUrl, client.client_id, 'https://rp.example/cb', { scope: 'openid' }).url, {
      login: { reject: { error: 'access_denied' } },
    });
    expect(rejected.params.get('error')).toBe('access_denied');
    const again = await env.admin.decide('login', 'reject', rejected.loginRequest!.challenge as string, { error: 'access_denied' });
    expect(again.status).toBe(410);
    const after = await scrape();
    const delta = (labels: Record<string, string>) => sumOf(after, 'hydrant_flow_outcomes_total', labels) - sumOf(before, 'hydrant_flow_outcomes_total', labels);
    expect(delta({ flow: 'login', outcome: 'accepted' })).toBe(1);
    expect(delta({ flow: 'login', outcome: 'rejected' })).toBe(1);
    expect(delta({ flow: 'consent', outcome: 'accepted' })).toBe(1);
    expect(delta({ flow: 'consent', outcome: 'rejected' })).toBe(0);
  });
});
