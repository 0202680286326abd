import request, { Response } from 'supertest';
import { startTestServer, TestServer } from './support/test-runtime';

/** Liveness, readiness and version on both ports, and what each port does not serve. */

type Port = 'public' | 'admin';
const PORTS: Port[] = ['public', 'admin'];

function expectJsonError(res: Response, port: Port, status: number, error?: string): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual(expect.objectContaining({ error: error ?? expect.any(String), error_description: expect.any(String) }));
  // The admin port answers Hydra's genericError shape; the public port RFC 6749's.
  if (port === 'admin') expect(res.body.status_code).toBe(status);
  else expect(res.body).not.toHaveProperty('status_code');
  // Nothing internal leaks into an error.
  expect(JSON.stringify(res.body)).not.toMatch(/stack|QueryFailedError|TypeError|node_modules/);
}

describe('health and version', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  describe.each(PORTS)('on the %s port', (port) => {
    const http = () => request(server[port]);

    it('GET /health/alive answers {"status":"ok"}', async () => {
      const res = await http().get('/health/alive');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it('GET /health/ready answers status ok while the database answers', async () => {
      const res = await http().get('/health/ready');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.status).toBe('ok');
    });

    it('GET /version answers a v-prefixed semantic version', async () => {
      const res = await http().get('/version');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(res.body)).toEqual(['version']);
      expect(res.body.version).toMatch(/^v\d+\.\d+\.\d+/);
    });

    it('answers an unknown route with a 404 JSON error', async () => {
      expectJsonError(await http().get('/no/such/route'), port, 404, 'not_found');
      expectJsonError(await http().post('/health/nowhere').send({}), port, 404, 'not_found');
    });

    it('serves the probes to GET only', async () => {
      const res = await http().post('/health/alive').send({});
      expect([404, 405]).toContain(res.status);
      expectJsonError(res, port, res.status);
    });
  });

  it('reports the same version on both ports', async () => {
    const a = await request(server.public).get('/version').expect(200);
    const b = await request(server.admin).get('/version').expect(200);
    expect(a.body.version).toBe(b.body.version);
  });

  describe('what each port does not serve', () => {
    it('the admin port does not serve dynamic registration', async () => {
      expectJsonError(await request(server.admin).post('/oauth2/register').send({ redirect_uris: ['https://rp.example.com/cb'] }), 'admin', 404);
      expectJsonError(await request(server.admin).get('/oauth2/register/some-id'), 'admin', 404);
    });

    it.each(['/admin/clients', '/clients', '/admin/clients/some-id', '/clients/some-id'])(
      'the public port does not serve %s',
      async (path) => {
        expectJsonError(await request(server.public).get(path), 'public', 404, 'not_found');
        expectJsonError(await request(server.public).post(path).send({ client_name: 'x' }), 'public', 404, 'not_found');
        expectJsonError(await request(server.public).delete(path), 'public', 404, 'not_found');
      },
    );

    it('the public port created nothing through those paths', async () => {
      const listed = await request(server.admin).get('/admin/clients').expect(200);
      expect(listed.body).toEqual([]);
    });

    it('the admin port serves /clients as /admin/clients (Hydra legacy paths)', async () => {
      const created = await request(server.admin).post('/clients').send({ client_name: 'legacy' }).expect(201);
      const read = await request(server.admin).get(`/admin/clients/${created.body.client_id}`).expect(200);
      expect(read.body.client_name).toBe('legacy');
      await request(server.admin).delete(`/clients/${created.body.client_id}`).expect(204);
    });
  });
});

describe('Hydra\'s /admin paths of the probes, the version and the metrics, with SERVE_ADMIN_API_KEYS set', () => {
  const KEY = 'operator-key-0123456789';
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ SERVE_ADMIN_API_KEYS: KEY });
  });
  afterAll(() => server?.close());

  it('answers /admin/health/alive and /admin/health/ready without the key, as /health/* is', async () => {
    await request(server.admin).get('/admin/health/alive').expect(200, { status: 'ok' });
    expect((await request(server.admin).get('/admin/health/ready').expect(200)).body).toMatchObject({ status: 'ok' });
  });

  it('answers /admin/metrics/prometheus and /admin/version as /metrics/prometheus and /version, with the key only', async () => {
    await request(server.admin).get('/admin/metrics/prometheus').expect(401);
    const metrics = await request(server.admin).get('/admin/metrics/prometheus').set('Authorization', `Bearer ${KEY}`).expect(200);
    expect(metrics.text).toMatch(/^# HELP /m);
    const version = await request(server.admin).get('/admin/version').set('Authorization', `Bearer ${KEY}`).expect(200);
    expect(version.body).toEqual((await request(server.admin).get('/version').set('Authorization', `Bearer ${KEY}`).expect(200)).body);
  });
});

describe('readiness without a database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  // close() must cope with a database that is already gone.
  afterAll(() => server?.close());

  it('is ready before the database goes away', async () => {
    await request(server.public).get('/health/ready').expect(200);
    await request(server.admin).get('/health/ready').expect(200);
  });

  describe('once the database is unreachable', () => {
    beforeAll(async () => {
      await server.runtime.dataSource.destroy();
    });

    it.each(PORTS)('/health/ready on the %s port answers 503 with an error JSON', async (port) => {
      const res = await request(server[port]).get('/health/ready');
      expectJsonError(res, port, 503);
      expect(res.body.error).toBe('temporarily_unavailable');
      expect(res.headers['cache-control']).toBe('no-store');
    });

    it.each(PORTS)('/health/alive on the %s port still answers ok (the process serves)', async (port) => {
      const res = await request(server[port]).get('/health/alive');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });

    it.each(PORTS)('/version on the %s port still answers', async (port) => {
      const res = await request(server[port]).get('/version');
      expect(res.status).toBe(200);
      expect(res.body.version).toMatch(/^v\d+\.\d+\.\d+/);
    });

    it('answers a request that needs the database with a 5xx JSON error, not a hang or a crash', async () => {
      const res = await request(server.admin).get('/admin/clients');
      expect(res.status).toBeGreaterThanOrEqual(500);
      expectJsonError(res, 'admin', res.status);
    });
  });
});

describe('URLs holding a NUL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  // PostgreSQL text cannot hold NUL: used as an id or a filter it was a 500 there.
  it.each([
    ['get', '/admin/keys/%00'],
    ['get', '/admin/keys/set/a%00b'],
    ['delete', '/admin/keys/%00'],
    ['post', '/admin/keys/%00'],
    ['delete', '/admin/oauth2/tokens?client_id=%00'],
    ['get', '/clients/%00'],
  ] as const)('the admin port answers %s %s with 400', async (method, path) => {
    const res = await request(server.admin)[method](path).send(method === 'post' ? { alg: 'RS256' } : undefined);
    expect({ status: res.status, error: res.body.error, status_code: res.body.status_code }).toEqual({ status: 400, error: 'invalid_request', status_code: 400 });
  });

  it('the public port answers 400 too', async () => {
    const res = await request(server.public).get('/oauth2/register/%00').expect(400);
    expect(res.body.error).toBe('invalid_request');
  });
});
