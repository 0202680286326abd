import http from 'node:http';
import { AddressInfo } from 'node:net';
import { ApiClient } from './api.client';
import { CliError } from './cli.error';

describe('ApiClient (the remote commands\' HTTP client)', () => {
  let server: http.Server;
  let endpoint: string;
  const seen: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body });
        if (req.url === '/hang') return; // never answers
        if (req.url?.startsWith('/fail')) {
          return res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: 'invalid_request', error_description: 'The request is\nmissing "x".', status_code: 400 }));
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends the -H headers, JSON and forms, and parses a JSON answer', async () => {
    const api = new ApiClient({ endpoint, headers: { Authorization: 'Bearer k' } });
    await expect(api.request({ method: 'POST', path: '/admin/clients', json: { a: 1 } })).resolves.toMatchObject({ status: 200, body: { ok: true } });
    await api.request({ method: 'POST', path: '/oauth2/token', form: { grant_type: 'client_credentials', scope: undefined } });
    const [json, form] = seen.slice(-2);
    expect(json).toMatchObject({ method: 'POST', url: '/admin/clients', body: '{"a":1}' });
    expect(json.headers).toMatchObject({ authorization: 'Bearer k', 'content-type': 'application/json' });
    expect(form).toMatchObject({ body: 'grant_type=client_credentials' });
    expect(form.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('keeps the endpoint\'s path prefix', async () => {
    await new ApiClient({ endpoint: `${endpoint}prefix` }).request({ path: '/admin/clients', query: { page_size: '2', page_token: undefined } });
    expect(seen.at(-1)?.url).toBe('/prefix/admin/clients?page_size=2');
  });

  it('turns an error answer into one line naming the request, the status, the error and its description', async () => {
    const failure = new ApiClient({ endpoint }).request({ method: 'DELETE', path: '/fail?x=1' });
    await expect(failure).rejects.toThrow(CliError);
    await expect(failure).rejects.toThrow(/^DELETE \/fail: the server answered 400 invalid_request: The request is missing "x"\.$/);
  });

  it('fails with a reason when the endpoint refuses the connection, or does not answer in time', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(new ApiClient({ endpoint: `http://127.0.0.1:${port}` }).request({ path: '/' })).rejects.toThrow(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
    await expect(new ApiClient({ endpoint, timeoutMs: 200 }).request({ path: '/hang' })).rejects.toThrow('did not answer within 0.2 s');
  });

  it('refuses an endpoint that is not an http(s) URL', () => {
    expect(() => new ApiClient({ endpoint: 'ftp://x' })).toThrow('is not an http(s) URL');
    expect(() => new ApiClient({ endpoint: 'not a url' })).toThrow('is not a URL');
  });
});
