/**
 * Hydra's OAuth 2.0 client commands of the BUILT command line (`node bin/hydrant.js create|get|list|update|
 * delete|import oauth2-client`, child processes) against a Hydrant listening in this process with
 * SERVE_ADMIN_API_KEYS set, so that every call needs `-H 'Authorization: Bearer KEY'`. What each command
 * did is checked on the server with Hydra's SDK, independently of the CLI. Also the flags every remote
 * command shares (-e and ORY_SDK_URL, -H, --format, --skip-tls-verify, -q) and the failures: 4xx answers,
 * unknown flags, missing arguments, bad files, a refused and a silent endpoint.
 */
import { writeFileSync } from 'node:fs';
import { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Configuration, OAuth2Api, OAuth2Client } from '@ory/hydra-client';
import { freePort } from './support/built-cli';
import { CliResult, expectFailure, killCliChildren, ok, okJson, removeTempDirs, requireBuiltCli, runCli, tempDir } from './support/cli-run';
import { startLoopbackServer } from './support/loopback-server';
import { sdkFailure } from './support/sdk-failure';
import { baseUrl, startTestServer, TestServer } from './support/test-runtime';

// Generous: every CLI run starts a Node process, which takes seconds on a loaded two-CPU machine.
jest.setTimeout(120_000);

const KEY = 'cli-admin-key-0123456789abcdef';
const AUTH = ['-H', `Authorization: Bearer ${KEY}`];

let server: TestServer;
let adminUrl: string;
let publicUrl: string;
let sdk: OAuth2Api;

/** `hydrant ARGS` against the admin API, with the key. */
const cli = (args: string[], input?: string): Promise<CliResult> => runCli([...args, '-e', adminUrl, ...AUTH], { input });

/** A table of `NAME\tvalue` lines (one record) as an object. */
function record(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.trimEnd().split('\n').map((line) => line.split('\t').map((s) => s.trim()) as [string, string]));
}

/** A table of a header row and a row per record. */
function rows(stdout: string): string[][] {
  return stdout.trimEnd().split('\n').map((line) => line.split('\t').map((s) => s.trim()));
}

async function allClientIds(): Promise<string[]> {
  return (await sdk.listOAuth2Clients({ pageSize: 500 })).data.map((c) => c.client_id!);
}

async function tokenFor(id: string, secret: string): Promise<Response> {
  return fetch(`${publicUrl}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
}

function writeFile(name: string, content: string): string {
  const file = path.join(tempDir(), name);
  writeFileSync(file, content);
  return file;
}

interface Recorded {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in admin API that records what it is sent and answers `reply`. */
async function recorder(reply: unknown, options: { tls?: boolean } = {}) {
  const requests: Recorded[] = [];
  const loopback = await startLoopbackServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method!, url: new URL(req.url!, 'http://x'), headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
  }, options);
  return { origin: loopback.origin, requests, close: loopback.close };
}

beforeAll(async () => {
  requireBuiltCli();
  server = await startTestServer({ SERVE_ADMIN_API_KEYS: KEY }, { listen: true });
  adminUrl = await baseUrl(server.adminApp);
  publicUrl = await baseUrl(server.publicApp);
  sdk = new OAuth2Api(new Configuration({ basePath: adminUrl, baseOptions: { headers: { Authorization: `Bearer ${KEY}` } } }));
});
afterEach(() => killCliChildren());
afterAll(async () => {
  await killCliChildren();
  await server?.close();
  removeTempDirs();
});

describe('create oauth2-client', () => {
  it("runs Hydra's tutorial line `create client --grant-type client_credentials`: a table with a secret that works", async () => {
    const created = record(ok(await cli(['create', 'client', '--grant-type', 'client_credentials'])));
    expect(created).toEqual(expect.objectContaining({ 'CLIENT ID': expect.stringMatching(/\S/), 'CLIENT SECRET': expect.stringMatching(/^\S{20,}$/), 'GRANT TYPES': 'client_credentials' }));
    expect((await sdk.getOAuth2Client({ id: created['CLIENT ID'] })).data.grant_types).toEqual(['client_credentials']);
    const token = await tokenFor(created['CLIENT ID'], created['CLIENT SECRET']);
    expect(token.status).toBe(200);
    expect(await token.json()).toEqual(expect.objectContaining({ access_token: expect.any(String), token_type: 'bearer' }));
  });

  it("sets the fields of Hydra's client flags, lists repeated or comma separated; json is one document with the secret", async () => {
    const doc = okJson<OAuth2Client>(
      await cli([
        'create', 'oauth2-client', '--format', 'json', '--id', 'cli-flags', '--secret', 'a-secret-of-the-cli-0123456789', '--name', 'Flags',
        '--grant-type', 'authorization_code,refresh_token', '--grant-type', 'client_credentials', '--response-type', 'code',
        '--scope', 'openid,offline_access', '--scope', 'email', '--redirect-uri', 'https://app.example/cb', '--audience', 'https://api.example',
        '--token-endpoint-auth-method', 'client_secret_post', '--metadata', '{"team":"blue"}', '--skip-consent', '--owner', 'alice',
        '--contact', 'ops@example.com', '--post-logout-callback', 'https://app.example/bye', '--client-uri', 'https://app.example/',
      ]),
    );
    const fields = {
      client_id: 'cli-flags', client_name: 'Flags', grant_types: ['authorization_code', 'refresh_token', 'client_credentials'], response_types: ['code'],
      scope: 'openid offline_access email', redirect_uris: ['https://app.example/cb'], audience: ['https://api.example'], token_endpoint_auth_method: 'client_secret_post',
      metadata: { team: 'blue' }, skip_consent: true, owner: 'alice', contacts: ['ops@example.com'], post_logout_redirect_uris: ['https://app.example/bye'], client_uri: 'https://app.example/',
    };
    expect(doc).toEqual(expect.objectContaining({ ...fields, client_secret: 'a-secret-of-the-cli-0123456789' }));
    expect((await sdk.getOAuth2Client({ id: 'cli-flags' })).data).toEqual(expect.objectContaining(fields));

    // Hydra's --flag=false spelling; json-pretty is the same document, indented; -q prints only the id.
    const pretty = ok(await cli(['create', 'client', '--id', 'cli-pretty', '--skip-consent=false', '--format', 'json-pretty']));
    const prettyDoc = JSON.parse(pretty) as OAuth2Client;
    expect(pretty).toBe(`${JSON.stringify(prettyDoc, null, 2)}\n`);
    expect(prettyDoc).toEqual(expect.objectContaining({ client_id: 'cli-pretty', skip_consent: false, client_secret: expect.any(String) }));
    expect(ok(await cli(['create', 'client', '--id', 'cli-quiet', '-q']))).toBe('cli-quiet\n');
  });

  it('--file reads the client from a file or stdin, the flags beside it win', async () => {
    const file = writeFile('client.json', JSON.stringify({ client_id: 'cli-file', client_name: 'from file', scope: 'a b', grant_types: ['client_credentials'] }));
    expect(okJson(await cli(['create', 'client', '--file', file, '--name', 'flag wins', '--format', 'json']))).toEqual(
      expect.objectContaining({ client_id: 'cli-file', client_name: 'flag wins', scope: 'a b', grant_types: ['client_credentials'] }),
    );
    ok(await cli(['create', 'client', '--file', '-', '-q'], JSON.stringify({ client_id: 'cli-stdin', owner: 'bob' })));
    expect((await sdk.getOAuth2Client({ id: 'cli-stdin' })).data.owner).toBe('bob');
  });

  it('refuses bad input with a one-line reason and creates nothing', async () => {
    const before = await allClientIds();
    const notJson = writeFile('not.json', '{"client_id": ');
    const array = writeFile('array.json', '[{"client_id":"in-an-array"}]');
    const cases: Array<[string[], RegExp]> = [
      [['--metadata', '{not json'], /--metadata: not JSON/],
      [['--metadata', '[1]'], /--metadata: must be a JSON object/],
      [['--file', path.join(tempDir(), 'missing.json')], /cannot read .*missing\.json: ENOENT/],
      [['--file', notJson], /not\.json is not JSON/],
      [['--file', array], /must hold one JSON object/],
      [['--token-endpoint-auth-method', 'bogus'], /answered 400 invalid_client_metadata/],
      [['--redirect-uri', 'not a url'], /answered 400 invalid_redirect_uri/],
      [['--id', 'cli-flags'], /answered 409 conflict/],
      [['--bogus-flag'], /unknown option '--bogus-flag'/],
      [['--format', 'yaml'], /argument 'yaml' is invalid/],
    ];
    for (const [flags, reason] of cases) expectFailure(await cli(['create', 'client', ...flags]), reason);
    expect(await allClientIds()).toEqual(before);
  });
});

describe('get oauth2-client', () => {
  it('one id prints an object, several an array; as a table and with -q; never a secret', async () => {
    const one = okJson<OAuth2Client>(await cli(['get', 'oauth2-client', 'cli-flags', '--format', 'json']));
    expect(one).toEqual((await sdk.getOAuth2Client({ id: 'cli-flags' })).data);
    expect(one.client_secret).toBeUndefined();
    const several = okJson<OAuth2Client[]>(await cli(['get', 'client', 'cli-flags', 'cli-file', '--format', 'json']));
    expect(several.map((c) => c.client_id)).toEqual(['cli-flags', 'cli-file']);
    expect(several.every((c) => c.client_secret === undefined)).toBe(true);

    expect(record(ok(await cli(['get', 'client', 'cli-flags'])))).toEqual(
      expect.objectContaining({ 'CLIENT ID': 'cli-flags', 'CLIENT SECRET': '<empty>', 'GRANT TYPES': 'authorization_code, refresh_token, client_credentials', SCOPE: 'openid offline_access email' }),
    );
    const table = rows(ok(await cli(['get', 'client', 'cli-flags', 'cli-file'])));
    expect(table[0]).toEqual(['CLIENT ID', 'CLIENT SECRET', 'GRANT TYPES', 'RESPONSE TYPES', 'SCOPE', 'AUDIENCE', 'REDIRECT URIS']);
    expect(table.slice(1).map((r) => r[0])).toEqual(['cli-flags', 'cli-file']);
    expect(ok(await cli(['get', 'client', 'cli-flags', 'cli-file', '-q']))).toBe('cli-flags\ncli-file\n');
  });

  it('fails on an unknown id, also beside a known one, and without an id', async () => {
    expectFailure(await cli(['get', 'client', 'no-such-client', '--format', 'json']), /GET \/admin\/clients\/no-such-client: the server answered 404/);
    expectFailure(await cli(['get', 'client', 'cli-flags', 'no-such-client', '--format', 'json']), /answered 404/);
    expectFailure(await cli(['get', 'client']), /missing required argument 'id'/);
  });
});

describe('list oauth2-clients', () => {
  it('--format json prints {items, next_page_token, is_last_page}; --page-token walks every page', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let page = 0; ; page++) {
      const doc = okJson<{ items: OAuth2Client[]; next_page_token: string; is_last_page: boolean }>(
        await cli(['list', 'oauth2-clients', '--page-size', '2', '--format', 'json', ...(token ? ['--page-token', token] : [])]),
      );
      expect(Object.keys(doc).sort()).toEqual(['is_last_page', 'items', 'next_page_token']);
      seen.push(...doc.items.map((c) => c.client_id!));
      if (doc.is_last_page) {
        expect(doc.next_page_token).toBe('');
        break;
      }
      expect(doc.items).toHaveLength(2);
      expect(doc.next_page_token).toMatch(/\S/);
      token = doc.next_page_token;
      expect(page).toBeLessThan(20);
    }
    expect(seen.sort()).toEqual((await allClientIds()).sort());
    expect(seen.length).toBeGreaterThan(4);
  });

  it('prints a table and -q the ids; the default page size is 100; a bad --page-size or --page-token fails', async () => {
    const table = rows(ok(await cli(['list', 'clients'])));
    expect(table[0][0]).toBe('CLIENT ID');
    expect(table.slice(1).map((r) => r[0]).sort()).toEqual((await allClientIds()).sort());
    const quiet = await cli(['list', 'clients', '-q', '--page-size', '1']);
    expect(ok(quiet)).toMatch(/^\S+\n$/);
    expect(quiet.stderr).toMatch(/^next page: --page-token \S+\n$/);

    const fake = await recorder([]);
    try {
      expect(okJson(await runCli(['list', 'clients', '-e', fake.origin, '--format', 'json']))).toEqual({ items: [], next_page_token: '', is_last_page: true });
      expect(fake.requests[0].url.searchParams.get('page_size')).toBe('100');
    } finally {
      await fake.close();
    }
    for (const size of ['0', '501', 'ten']) expectFailure(await cli(['list', 'clients', '--page-size', size]), /--page-size/);
    expectFailure(await cli(['list', 'clients', '--page-token', 'garbage']), /answered 400 .*page_token/);
  });
});

describe('update oauth2-client', () => {
  it('flags send a JSON Patch of only the fields given; every other field and the secret stay', async () => {
    const created = okJson<OAuth2Client>(await cli(['create', 'client', '--format', 'json', '--name', 'before', '--grant-type', 'client_credentials', '--scope', 'a', '--metadata', '{"k":1}', '--audience', 'https://api.example']));
    const id = created.client_id!;
    const updated = okJson<OAuth2Client>(await cli(['update', 'oauth2-client', id, '--name', 'after', '--scope', 'a,b', '--format', 'json']));
    const stored = (await sdk.getOAuth2Client({ id })).data;
    expect(updated).toEqual(stored);
    expect(stored).toEqual(expect.objectContaining({ client_name: 'after', scope: 'a b', metadata: { k: 1 }, audience: ['https://api.example'], grant_types: ['client_credentials'] }));
    expect((await tokenFor(id, created.client_secret!)).status).toBe(200);

    const fake = await recorder(stored);
    try {
      ok(await runCli(['update', 'client', id, '--name', 'x', '--skip-consent', '-e', fake.origin, '-q']));
      expect(fake.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([`PATCH /admin/clients/${id}`]);
      const patch = JSON.parse(fake.requests[0].body) as Array<{ op: string; path: string; value: unknown }>;
      expect(patch.map(({ path: p, value }) => [p, value]).sort()).toEqual([['/client_name', 'x'], ['/skip_consent', true]]);
      expect(patch.every(({ op }) => op === 'add' || op === 'replace')).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('--file replaces the whole client under the id given', async () => {
    ok(await cli(['create', 'client', '--id', 'cli-replace', '--redirect-uri', 'https://old.example/cb', '--owner', 'carol', '-q']));
    const file = writeFile('replace.json', JSON.stringify({ client_id: 'ignored', client_name: 'replaced', grant_types: ['client_credentials'] }));
    const doc = okJson<OAuth2Client>(await cli(['update', 'client', 'cli-replace', '--file', file, '--format', 'json']));
    expect(doc).toEqual(expect.objectContaining({ client_id: 'cli-replace', client_name: 'replaced', redirect_uris: [], owner: '', grant_types: ['client_credentials'] }));
    expect((await sdk.getOAuth2Client({ id: 'cli-replace' })).data).toEqual(expect.objectContaining({ client_name: 'replaced', redirect_uris: [], owner: '' }));
    await expect(sdkFailure(sdk.getOAuth2Client({ id: 'ignored' }))).resolves.toHaveProperty('response.status', 404);
  });

  it('fails without fields, on an unknown id, without an id and on a bad --file, changing nothing', async () => {
    const before = (await sdk.getOAuth2Client({ id: 'cli-replace' })).data;
    expectFailure(await cli(['update', 'client', 'cli-replace']), /nothing to update/);
    expectFailure(await cli(['update', 'client', 'no-such-client', '--name', 'x']), /PATCH \/admin\/clients\/no-such-client: the server answered 404/);
    expectFailure(await cli(['update', 'client', '--name', 'x']), /missing required argument 'id'/);
    expectFailure(await cli(['update', 'client', 'cli-replace', '--file', writeFile('bad.json', 'nope')]), /bad\.json is not JSON/);
    expectFailure(await cli(['update', 'client', 'cli-replace', '--grant-type', 'bogus_grant']), /answered 400/);
    expect((await sdk.getOAuth2Client({ id: 'cli-replace' })).data).toEqual(before);
  });
});

describe('delete oauth2-client', () => {
  it('deletes every id given: one prints the id, several an array; the clients are gone', async () => {
    for (const id of ['del-1', 'del-2', 'del-3']) await sdk.createOAuth2Client({ oAuth2Client: { client_id: id } });
    expect(okJson(await cli(['delete', 'oauth2-client', 'del-1', '--format', 'json']))).toBe('del-1');
    expect(okJson(await cli(['delete', 'client', 'del-2', 'del-3', '--format', 'json']))).toEqual(['del-2', 'del-3']);
    for (const id of ['del-1', 'del-2', 'del-3']) await expect(sdkFailure(sdk.getOAuth2Client({ id }))).resolves.toHaveProperty('response.status', 404);
    await sdk.createOAuth2Client({ oAuth2Client: { client_id: 'del-4' } });
    expect(rows(ok(await cli(['delete', 'client', 'del-4'])))).toEqual([['CLIENT ID'], ['del-4']]);
  });

  it('an unknown id fails, naming it, after deleting the others; no id is a missing argument', async () => {
    await sdk.createOAuth2Client({ oAuth2Client: { client_id: 'del-5' } });
    const result = await cli(['delete', 'client', 'del-5', 'no-such-client', '-q']);
    expectFailure(result, /could not delete a client: no-such-client: .*404/, { stdout: true });
    expect(result.stdout).toBe('del-5\n');
    await expect(sdkFailure(sdk.getOAuth2Client({ id: 'del-5' }))).resolves.toHaveProperty('response.status', 404);
    expectFailure(await cli(['delete', 'client']), /missing required argument 'id'/);
  });
});

describe('import oauth2-client', () => {
  it('creates the clients of JSON arrays in files, or in stdin, printing them with their secrets', async () => {
    const a = writeFile('a.json', JSON.stringify([{ client_id: 'imp-a1', grant_types: ['client_credentials'] }, { client_id: 'imp-a2', client_name: 'A2' }]));
    const b = writeFile('b.json', JSON.stringify([{ client_id: 'imp-b1', scope: 'x y' }]));
    const imported = okJson<OAuth2Client[]>(await cli(['import', 'oauth2-client', a, b, '--format', 'json']));
    expect(imported.map((c) => c.client_id)).toEqual(['imp-a1', 'imp-a2', 'imp-b1']);
    expect(imported.every((c) => typeof c.client_secret === 'string')).toBe(true);
    expect((await tokenFor('imp-a1', imported[0].client_secret!)).status).toBe(200);
    expect((await sdk.getOAuth2Client({ id: 'imp-b1' })).data.scope).toBe('x y');

    expect(ok(await cli(['import', 'clients', '-q'], JSON.stringify([{ client_id: 'imp-stdin' }])))).toBe('imp-stdin\n');
    expect((await sdk.getOAuth2Client({ id: 'imp-stdin' })).status).toBe(200);
  });

  it('reads every file before creating a client: a bad one creates nothing; a refused client fails the import', async () => {
    const good = writeFile('good.json', JSON.stringify([{ client_id: 'imp-never' }]));
    expectFailure(await cli(['import', 'client', good, writeFile('broken.json', '[{')]), /broken\.json is not JSON/);
    expectFailure(await cli(['import', 'client', good, path.join(tempDir(), 'gone.json')]), /cannot read .*gone\.json: ENOENT/);
    expectFailure(await cli(['import', 'client', good, writeFile('numbers.json', '[1, 2]')]), /expected a JSON array of client objects/);
    expectFailure(await cli(['import', 'client'], ''), /stdin is not JSON/);
    await expect(sdkFailure(sdk.getOAuth2Client({ id: 'imp-never' }))).resolves.toHaveProperty('response.status', 404);

    const mixed = writeFile('mixed.json', JSON.stringify([{ client_id: 'imp-ok' }, { client_id: 'imp-bad', token_endpoint_auth_method: 'bogus' }]));
    const result = await cli(['import', 'client', mixed, '-q']);
    expectFailure(result, /could not import 1 of 2 clients: imp-bad: .*400/, { stdout: true });
    expect(result.stdout).toBe('imp-ok\n');
    await expect(sdkFailure(sdk.getOAuth2Client({ id: 'imp-bad' }))).resolves.toHaveProperty('response.status', 404);
  });
});

describe('flags every remote command shares', () => {
  it("-H sends the admin API key: without it, or with a wrong one, the server's 401 is the reason", async () => {
    expectFailure(await runCli(['list', 'clients', '-e', adminUrl]), /GET \/admin\/clients: the server answered 401/);
    expectFailure(await runCli(['get', 'client', 'cli-flags', '-e', adminUrl, '-H', 'Authorization: Bearer wrong-key-0123456789']), /answered 401/);
    expectFailure(await runCli(['create', 'client', '-e', adminUrl, '-H', 'no colon here']), /--http-header: .* is not a header/);

    const fake = await recorder([]);
    try {
      ok(await runCli(['list', 'clients', '-e', fake.origin, '-H', 'X-One: 1', '--http-header', 'X-Two:  two words ']));
      expect(fake.requests[0].headers).toEqual(expect.objectContaining({ 'x-one': '1', 'x-two': 'two words' }));
    } finally {
      await fake.close();
    }
  });

  it('ORY_SDK_URL is the endpoint without -e; -e wins over it; without either the command fails', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    expect(ok(await runCli(['get', 'client', 'cli-flags', '-q', ...AUTH], { env: { ORY_SDK_URL: adminUrl } }))).toBe('cli-flags\n');
    expect(ok(await runCli(['get', 'client', 'cli-flags', '-q', '-e', adminUrl, ...AUTH], { env: { ORY_SDK_URL: closed } }))).toBe('cli-flags\n');
    expectFailure(await runCli(['get', 'client', 'cli-flags', ...AUTH]), /no endpoint: pass --endpoint URL or set ORY_SDK_URL/);
    expectFailure(await runCli(['get', 'client', 'cli-flags', '-e', 'not a url']), /--endpoint: "not a url" is not a URL/);
    expectFailure(await runCli(['get', 'client', 'cli-flags', '-e', 'ftp://127.0.0.1/']), /not an http\(s\) URL/);
  });

  it('--skip-tls-verify accepts a self-signed certificate that is refused otherwise', async () => {
    const fake = await recorder([], { tls: true });
    try {
      expectFailure(await runCli(['list', 'clients', '-e', fake.origin]), /cannot reach https:\/\/127\.0\.0\.1:\d+: \S+/);
      expect(okJson(await runCli(['list', 'clients', '-e', fake.origin, '--skip-tls-verify', '--format', 'json']))).toEqual({ items: [], next_page_token: '', is_last_page: true });
    } finally {
      await fake.close();
    }
  });

  it('an endpoint answering 200 with a web page (a wrong -e) fails, naming the request', async () => {
    const page = await startLoopbackServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>not Hydrant</html>'));
    try {
      expectFailure(await runCli(['get', 'client', 'cli-flags', '-e', page.origin]), /GET \/admin\/clients\/cli-flags/);
    } finally {
      await page.close();
    }
  });

  it('a refused connection fails at once; an endpoint that never answers fails within 15 s', async () => {
    expectFailure(await runCli(['list', 'clients', '-e', `http://127.0.0.1:${await freePort()}`, '--format', 'json']), /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);

    // Accepts connections and never answers (this sandbox answers for non-routable addresses, so a
    // blackholed address cannot stand for a hanging connect here; the CLI's deadline covers both).
    let connectedAt = 0;
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => {
      connectedAt ||= Date.now();
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      const result = await runCli(['list', 'clients', '-e', endpoint, '--format', 'json'], { timeoutMs: 45_000 });
      const exitedAt = Date.now();
      expectFailure(result, /did not answer within \d+ s|cannot reach/);
      expect(connectedAt).toBeGreaterThan(0);
      // From the CLI's connection on: Node's start-up of the CLI itself takes seconds on a loaded machine.
      expect(exitedAt - connectedAt).toBeLessThan(15_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
