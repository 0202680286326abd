import request from 'supertest';
import { startTestServer, TestServer } from './support/test-runtime';

describe('smoke', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('creates and reads a client', async () => {
    const created = await request(server.admin).post('/admin/clients').send({ client_name: 'smoke' }).expect(201);
    expect(created.headers['cache-control']).toBe('no-store'); // the answer holds the client secret
    const read = await request(server.admin).get(`/admin/clients/${created.body.client_id}`).expect(200);
    expect(read.body.client_name).toBe('smoke');
    expect(read.body.client_secret).toBeUndefined();
  });
});
