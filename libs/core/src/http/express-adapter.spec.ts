import { IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { HydrantExpressAdapter } from './express-adapter';

describe('HydrantExpressAdapter', () => {
  const adapter = new HydrantExpressAdapter();
  const app = adapter.getInstance<Express>();
  let bornAsExpress: boolean[] = [];
  let url: string;

  beforeAll(async () => {
    adapter.initHttpServer({});
    const server = adapter.getHttpServer();
    // Runs before Express sees the request: what Node's server created.
    server.prependListener('request', (req: IncomingMessage, res: unknown) => {
      bornAsExpress.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
    });
    app.post('/echo', (req, res) => {
      res.status(201).json({ form: req.is('application/x-www-form-urlencoded'), proto: Object.getPrototypeOf(req) === app.request, app: req.app === app });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => adapter.getHttpServer().close(resolve)));
  beforeEach(() => (bornAsExpress = []));

  it('creates requests and responses with the Express app’s own prototypes, so Express has nothing to change', async () => {
    const res = await fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ form: 'application/x-www-form-urlencoded', proto: true, app: true });
    expect(bornAsExpress).toEqual([true]);
  });

  it('serves several requests on one kept-alive connection', async () => {
    for (let i = 0; i < 3; i++) expect((await fetch(`${url}/echo`, { method: 'POST', body: '' })).status).toBe(201);
    expect(await (await fetch(`${url}/nowhere`)).text()).toContain('Cannot GET /nowhere');
    expect(bornAsExpress).toEqual([true, true, true, true]);
  });

  it('refuses options it does not serve', () => {
    expect(() => new HydrantExpressAdapter().initHttpServer({ forceCloseConnections: true })).toThrow(/plain HTTP/);
  });
});
