/**
 * What the README's Production section tells an operator to do, done with the built command line
 * (`npm run build` first) in child processes, on the suite's database where it matters:
 * - `hydrant backup FILE` while the server runs, then the restore (stop, replace the file, start);
 *   never overwriting FILE; refused on PostgreSQL with a pointer to pg_dump;
 * - rotating SECRETS_SYSTEM: NEW,OLD on the instances, `hydrant secrets rotate`, then OLD may leave the list
 *   without locking out a stored key;
 * - SERVE_TRUST_PROXY as a hop count or a list of proxies: which X-Forwarded-For entry a request is counted
 *   under (the client authentication failure limit, per source address).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { BIN, BUILT_MAIN, childEnv, ROOT } from './support/built-cli';
import { freePorts, Hydrant, killAllChildren } from './support/hydrant-process';
import { createPostgresDatabase } from './support/test-database';
import { startTestServer, TEST_DIALECT, TestServer } from './support/test-runtime';

jest.setTimeout(60_000);

const OLD = 'production-e2e-old-secret-0123456789';
const NEW = 'production-e2e-new-secret-9876543210';
const ADMIN_KEY = 'production-e2e-admin-api-key-0123';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hydrant-production-e2e-'));
  tempDirs.push(dir);
  return dir;
}

/** Runs `hydrant ARGS` to its end. */
function hydrant(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: childEnv(env), cwd: tempDir(), timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `hydrant serve all` on `env`, once both ports listen; with the ports it listens on. */
async function serve(env: Record<string, string>): Promise<{ server: Hydrant; publicUrl: string; adminUrl: string }> {
  const [pub, adm] = await freePorts(2);
  const server = new Hydrant(['serve', 'all', '--workers', '1'], { ...env, SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm) }, { cwd: tempDir() });
  await server.waitForLogs((l) => /API listening/.test(l.msg), 2);
  return { server, publicUrl: `http://127.0.0.1:${pub}`, adminUrl: `http://127.0.0.1:${adm}` };
}

async function stop(server: Hydrant): Promise<void> {
  server.signal('SIGTERM');
  expect((await server.waitForExit()).code).toBe(0);
}

async function createClient(adminUrl: string, body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await request(adminUrl).post('/admin/clients').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ grant_types: ['client_credentials'], ...body }).expect(201);
  return { id: res.body.client_id as string, secret: res.body.client_secret as string };
}

async function token(publicUrl: string, client: { id: string; secret: string }): Promise<string> {
  const res = await request(publicUrl).post('/oauth2/token').auth(client.id, client.secret).type('form').send({ grant_type: 'client_credentials' }).expect(200);
  return res.body.access_token as string;
}

const kids = async (publicUrl: string) => ((await request(publicUrl).get('/.well-known/jwks.json').expect(200)).body.keys as Array<{ kid: string }>).map((k) => k.kid).sort();

beforeAll(() => {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${path.relative(ROOT, BUILT_MAIN)} is missing: run \`npm run build\` before this spec (npm test does).`);
});
afterEach(() => killAllChildren());
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('hydrant backup, and the restore the README describes', () => {
  it('copies the SQLite file while the server runs; a restore brings back exactly what was there at the backup', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'hydrant.sqlite');
    const env = { DSN: `sqlite://${file}`, SECRETS_SYSTEM: OLD, SERVE_ADMIN_API_KEYS: ADMIN_KEY };
    const first = await serve(env);
    const before = await createClient(first.adminUrl, { access_token_strategy: 'jwt' });
    const keys = await kids(first.publicUrl);

    const backup = path.join(dir, 'backup.sqlite');
    const done = await hydrant(['backup', backup], env);
    expect(done).toMatchObject({ code: 0 });
    expect(done.stdout).toMatch(/backed up the SQLite database/);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    const after = await createClient(first.adminUrl);

    const again = await hydrant(['backup', backup], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/exists: hydrant backup never overwrites a file/);
    expect(again.stderr).not.toMatch(/\n\s+at /); // one line, no stack

    // Restore: stop, replace the file (and drop the old WAL and shared memory, if any are left), start.
    await stop(first.server);
    for (const leftover of [`${file}-wal`, `${file}-shm`]) rmSync(leftover, { force: true });
    copyFileSync(backup, file);
    const restored = await serve(env);
    const admin = request(restored.adminUrl);
    await admin.get(`/admin/clients/${before.id}`).set('Authorization', `Bearer ${ADMIN_KEY}`).expect(200);
    await admin.get(`/admin/clients/${after.id}`).set('Authorization', `Bearer ${ADMIN_KEY}`).expect(404);
    expect(await kids(restored.publicUrl)).toEqual(keys);
    // The restored signing key decrypts: a JWT access token is signed with it.
    const jwt = await token(restored.publicUrl, before);
    expect(keys).toContain(JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()).kid);
    await stop(restored.server);
  });

  it('refuses a PostgreSQL DSN, pointing to pg_dump, and writes nothing', async () => {
    const pg = TEST_DIALECT === 'postgres' ? await createPostgresDatabase() : undefined;
    try {
      const target = path.join(tempDir(), 'backup.sqlite');
      const refused = await hydrant(['backup', target], { DSN: pg?.dsn ?? 'postgres://hydrant:not-used@127.0.0.1:1/hydrant' });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/PostgreSQL.*pg_dump/);
      expect(existsSync(target)).toBe(false);
    } finally {
      await pg?.drop();
    }
  });
});

describe('rotating SECRETS_SYSTEM with hydrant secrets rotate', () => {
  let dsn: string;
  let drop: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    if (TEST_DIALECT === 'postgres') ({ dsn, drop } = await createPostgresDatabase());
    else dsn = `sqlite://${path.join(tempDir(), 'hydrant.sqlite')}`;
  });
  afterAll(() => drop());

  it('re-encrypts the stored keys under NEW, so that OLD can leave the list; tokens under OLD verify while it stays', async () => {
    const base = { DSN: dsn, SERVE_ADMIN_API_KEYS: ADMIN_KEY };
    const onOld = await serve({ ...base, SECRETS_SYSTEM: OLD });
    const client = await createClient(onOld.adminUrl, { access_token_strategy: 'jwt' });
    const opaqueClient = await createClient(onOld.adminUrl);
    const opaque = await token(onOld.publicUrl, opaqueClient);
    const keys = await kids(onOld.publicUrl);
    await stop(onOld.server);

    const wrong = await hydrant(['secrets', 'rotate'], { ...base, SECRETS_SYSTEM: NEW });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/decrypts with no entry of SECRETS_SYSTEM.*nothing was re-encrypted/);

    const rotated = await hydrant(['secrets', 'rotate'], { ...base, SECRETS_SYSTEM: `${NEW},${OLD}` });
    expect(rotated.code).toBe(0);
    expect(rotated.stdout).toMatch(/"keys":2,.*re-encrypted under the first entry/);

    const both = await serve({ ...base, SECRETS_SYSTEM: `${NEW},${OLD}` });
    const introspect = (adminUrl: string) =>
      request(adminUrl).post('/admin/oauth2/introspect').set('Authorization', `Bearer ${ADMIN_KEY}`).type('form').send({ token: opaque }).expect(200);
    expect((await introspect(both.adminUrl)).body.active).toBe(true);
    await stop(both.server);

    const onNew = await serve({ ...base, SECRETS_SYSTEM: NEW });
    expect(await kids(onNew.publicUrl)).toEqual(keys);
    const jwt = await token(onNew.publicUrl, client);
    expect(keys).toContain(JSON.parse(Buffer.from(jwt.split('.')[0], 'base64url').toString()).kid);
    // Without OLD, what it signed no longer verifies: why OLD stays listed until such tokens expired.
    expect((await introspect(onNew.adminUrl)).body.active).toBe(false);
    await stop(onNew.server);
  });
});

describe('SERVE_TRUST_PROXY narrowed to a hop count or a list of proxies', () => {
  const LIMIT = 2;
  let server: TestServer | undefined;
  afterEach(() => server?.close());

  /** Starts a server with this trust, and a client whose failed authentications are counted per source. */
  async function withTrust(trust: string) {
    server = await startTestServer({ SERVE_TRUST_PROXY: trust, OAUTH2_CLIENT_AUTHENTICATION_FAILURE_LIMIT: String(LIMIT), OAUTH2_CLIENT_AUTHENTICATION_FAILURE_WINDOW: '8760h' });
    const res = await request(server.admin).post('/admin/clients').send({ grant_types: ['client_credentials'] }).expect(201);
    const id = res.body.client_id as string;
    /** A failed authentication over loopback carrying `forwarded`: 401 while its source is under the limit, then 429. */
    return async (forwarded: string) =>
      (await request(server!.public).post('/oauth2/token').set('X-Forwarded-For', forwarded).auth(id, 'wrong').type('form').send({ grant_type: 'client_credentials' })).status;
  }

  it('1: the entry the one proxy wrote is the source; what the client wrote before it changes nothing', async () => {
    const fail = await withTrust('1');
    expect(await fail('203.0.113.1, 198.51.100.7')).toBe(401);
    expect(await fail('203.0.113.2, 198.51.100.7')).toBe(401);
    expect(await fail('203.0.113.3, 198.51.100.7')).toBe(429);
    expect(await fail('203.0.113.3, 198.51.100.8')).toBe(401);
  });

  it('a list of proxies (loopback and a CIDR): the first entry from the right that is not one of them is the source', async () => {
    const fail = await withTrust('loopback,10.0.0.0/8');
    expect(await fail('203.0.113.1, 198.51.100.7, 10.1.2.3')).toBe(401);
    expect(await fail('203.0.113.2, 198.51.100.7, 10.9.9.9')).toBe(401);
    expect(await fail('198.51.100.7')).toBe(429);
    expect(await fail('198.51.100.8, 10.1.2.3')).toBe(401);
  });

  it('a list without the proxy actually in front (loopback here): X-Forwarded-For is ignored', async () => {
    const fail = await withTrust('10.0.0.0/8');
    expect(await fail('198.51.100.1')).toBe(401);
    expect(await fail('198.51.100.2')).toBe(401);
    expect(await fail('198.51.100.3')).toBe(429);
  });
});

describe('the deployment files', () => {
  it('the Dockerfile builds with deploy/build-production.sh, runs `serve all` as a non-root user with a health check', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile.match(/^RUN deploy\/build-production\.sh (deps|build)$/gm)).toEqual(['RUN deploy/build-production.sh deps', 'RUN deploy/build-production.sh build']);
    expect(dockerfile).toMatch(/^USER hydrant$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [^\n]*\\\n\s+CMD \["node", "-e", "[^\n]*\/health\/alive/m);
    expect(dockerfile).toMatch(/^CMD \["serve", "all"\]$/m);
  });
});
