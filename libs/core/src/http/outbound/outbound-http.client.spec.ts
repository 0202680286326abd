import { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { LOOPBACK_TLS, LoopbackServer, startLoopbackServer } from '../../../../../test/support/loopback-server';
import { OutboundFetchError } from './outbound-fetch.error';
import { OutboundHttpClient, OutboundHttpOptions } from './outbound-http.client';
import { PrivateAddressRule } from './private-address.rule';

const CAP = 64 * 1024;

describe('OutboundHttpClient', () => {
  const servers: LoopbackServer[] = [];
  const clients: OutboundHttpClient[] = [];

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, tls = false): Promise<LoopbackServer> {
    const server = await startLoopbackServer(handler, { tls });
    servers.push(server);
    return server;
  }

  function client(options: Partial<OutboundHttpOptions> = {}): OutboundHttpClient {
    const made = new OutboundHttpClient({ timeoutMs: 1_000, rule: new PrivateAddressRule(false), ca: LOOPBACK_TLS.cert, ...options });
    clients.push(made);
    return made;
  }

  async function failure(call: Promise<unknown>): Promise<OutboundFetchError> {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutboundFetchError);
    expect((error as Error).message).toBe('could not be fetched');
    return error as OutboundFetchError;
  }

  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('fetches a JSON document over http and https, decoding gzip, and POSTs a form', async () => {
    const plain = await serve((_req, res) => res.end('{"keys":[]}'));
    const zipped = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('["https://a.example/cb"]')), true);
    let posted = '';
    const sink = await serve((req, res) => {
      req.on('data', (c: Buffer) => (posted += c.toString()));
      req.on('end', () => res.writeHead(200).end());
    });
    const http = client();
    expect(await http.getJson(`${plain.origin}/jwks`, CAP)).toEqual({ json: { keys: [] }, size: 11 });
    expect((await http.getJson(`${zipped.origin}/sector`, CAP)).json).toEqual(['https://a.example/cb']);
    const res = await http.request(`${sink.origin}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'logout_token=x', maxBodyBytes: 16 });
    expect(res.status).toBe(200);
    expect(posted).toBe('logout_token=x');
  });

  it('keeps connections alive and reuses them', async () => {
    const ports = new Set<number>();
    const server = await serve((req, res) => {
      ports.add(req.socket.remotePort!);
      res.end('{}');
    });
    const http = client();
    for (let i = 0; i < 3; i++) await http.getJson(`${server.origin}/`, CAP);
    expect(ports.size).toBe(1);
  });

  it('refuses a body larger than the cap, whether declared or streamed', async () => {
    const big = '"' + 'x'.repeat(CAP) + '"';
    const declared = await serve((_req, res) => res.writeHead(200, { 'content-length': String(big.length) }).end(big));
    const chunked = await serve((_req, res) => {
      res.writeHead(200);
      res.write(big.slice(0, CAP / 2));
      res.end(big.slice(CAP / 2));
    });
    expect((await failure(client().getJson(`${declared.origin}/`, CAP))).detail).toMatch(/declares/);
    expect((await failure(client().getJson(`${chunked.origin}/`, CAP))).detail).toMatch(/larger than/);
  });

  it('refuses a gzip bomb: a small body that inflates beyond the cap', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(CAP);
    const server = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(bomb.length) }).end(bomb));
    expect((await failure(client().getJson(`${server.origin}/`, CAP))).detail).toMatch(/larger than/);
  });

  it('refuses an encoding it cannot decode, and a body that is not JSON', async () => {
    const odd = await serve((_req, res) => res.writeHead(200, { 'content-encoding': 'zstd' }).end('{}'));
    const html = await serve((_req, res) => res.end('<html></html>'));
    expect((await failure(client().getJson(`${odd.origin}/`, CAP))).detail).toMatch(/zstd/);
    expect((await failure(client().getJson(`${html.origin}/`, CAP))).detail).toMatch(/not JSON/);
  });

  it('times out a server that never answers, and one that sends its body slowly', async () => {
    const silent = await serve(() => undefined);
    const dribbling = await serve((_req, res) => {
      res.writeHead(200);
      res.write('[');
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    const http = client({ timeoutMs: 300 });
    expect((await failure(http.getJson(`${silent.origin}/`, CAP))).detail).toMatch(/within 300 ms/);
    expect((await failure(http.getJson(`${dribbling.origin}/`, CAP))).detail).toMatch(/within 300 ms/);
  });

  it('times out connecting on its own clock, shorter than the whole call', async () => {
    // A name whose lookup never answers keeps the socket connecting (a test network may answer any TCP handshake).
    const rule = Object.assign(new PrivateAddressRule(true), { lookup: () => undefined });
    const error = await failure(client({ timeoutMs: 5_000, connectTimeoutMs: 200, rule }).getJson('http://keys.example.com/', CAP));
    expect(error.detail).toBe('not connected within 200 ms');
  });

  it('does not follow redirects: a 3xx fails, and the target is never called', async () => {
    const target = await serve((_req, res) => res.end('{}'));
    const redirecting = await serve((_req, res) => res.writeHead(302, { location: `${target.origin}/jwks` }).end());
    expect((await failure(client().getJson(`${redirecting.origin}/`, CAP))).detail).toMatch(/302.*redirects/);
    expect(target.received).toEqual([]);
  });

  it('fails on an error status and on a closed port with the same message', async () => {
    const erroring = await serve((_req, res) => res.writeHead(404).end('not here'));
    const closed = await startLoopbackServer(() => undefined);
    await closed.close();
    const a = await failure(client().getJson(`${erroring.origin}/`, CAP));
    const b = await failure(client().getJson(`${closed.origin}/`, CAP));
    expect(a.message).toBe(b.message);
    expect(a.detail).toMatch(/404/);
    expect(b.detail).toMatch(/ECONNREFUSED/);
  });

  describe('with the private-address rule on', () => {
    it('refuses loopback before connecting, by IP literal and by a name that resolves to it', async () => {
      const server = await serve((_req, res) => res.end('{}'));
      const http = client({ rule: new PrivateAddressRule(true) });
      expect((await failure(http.getJson(`${server.origin}/jwks`, CAP))).detail).toMatch(/127\.0\.0\.1 is not a public address/);
      expect((await failure(http.getJson(server.origin.replace('127.0.0.1', 'localhost') + '/jwks', CAP))).detail).toMatch(/not a public address/);
      expect((await failure(http.getJson('http://[::1]:9/jwks', CAP))).detail).toMatch(/::1 is not a public address/);
      expect((await failure(http.getJson('http://169.254.169.254/latest/meta-data/', CAP))).detail).toMatch(/not a public address/);
      expect(server.received).toEqual([]);
    });

    it('lets allowlisted URLs through: an exact URL, or a prefix ending in "/"', async () => {
      const server = await serve((_req, res) => res.end('{}'));
      const http = client({ rule: new PrivateAddressRule(true, [`${server.origin}/exact`, `${server.origin}/tree/`]) });
      await http.getJson(`${server.origin}/exact`, CAP);
      await http.getJson(`${server.origin}/tree/a/b`, CAP);
      await failure(http.getJson(`${server.origin}/exact/more`, CAP));
      await failure(http.getJson(`${server.origin}/treehouse`, CAP));
      expect(server.received).toEqual(['GET /exact', 'GET /tree/a/b']);
    });
  });

  it('refuses URLs it must not call: another scheme, credentials, garbage', async () => {
    const http = client();
    await failure(http.getJson('file:///etc/passwd', CAP));
    await failure(http.getJson('http://user:pass@127.0.0.1:9/', CAP));
    await failure(http.getJson('not a url', CAP));
  });
});
