/**
 * The two faults that issue 15's drills found, and the janitor schedule of `serve`:
 *
 * - 12: refreshes racing on one refresh token across two instances of one database. Exactly one wins; every
 *   loser gets 400 `invalid_grant` (never a 500 from a deadlock) and the whole chain ends up revoked.
 * - 13: SIGTERM with kept-alive connections (no request is reset after it was sent; in-flight answers say
 *   `Connection: close`), and readiness that fails when the SQLite file cannot be written.
 * - JANITOR_INTERVAL: `serve` removes an expired token on its own.
 *
 * The race runs on the suite's dialect (TEST_DSN): two runtimes in this process on one PostgreSQL database,
 * or on one SQLite file. The shutdown, readiness and janitor specs run the BUILT command line (`npm run
 * build` first) as child processes on SQLite files, and the janitor also on PostgreSQL under TEST_DSN=postgres.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NestExpressApplication } from '@nestjs/platform-express';
import { closeRuntime, createDataSource, createLogger, HydrantRuntime, loadConfig, openRuntime } from '@hydrant/core';
import { createAdminApp } from '../apps/admin/src/admin.app';
import { createPublicApp } from '../apps/public/src/public.app';
import { createClient, introspect, random, tokenRequest } from './support/browser-flow';
import { BUILT_MAIN, ROOT } from './support/built-cli';
import { eventually, freePorts, Hydrant, killAllChildren, probePort } from './support/hydrant-process';
import { Exchange, httpRequest, RawConnection } from './support/raw-http';
import { makeReadOnly } from './support/read-only-file';
import { createPostgresDatabase } from './support/test-database';
import { baseUrl, TEST_DIALECT } from './support/test-runtime';

jest.setTimeout(120_000);

const SECRET = 'security-faults-secret-0123456789';
const REDIRECT = 'https://app.example/callback';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hydrant-faults-e2e-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh database of the suite's dialect that several instances can share: a PostgreSQL database or an SQLite file. */
async function sharedDatabase(): Promise<{ dsn: string; drop: () => Promise<void> }> {
  if (TEST_DIALECT === 'postgres') return createPostgresDatabase();
  return { dsn: `sqlite://${path.join(tempDir(), 'shared.sqlite')}`, drop: async () => undefined };
}

interface Instance {
  runtime: HydrantRuntime;
  apps: NestExpressApplication[];
  publicUrl: string;
  adminUrl: string;
}

/** One Hydrant instance (both apps listening on loopback) on `dsn`, as another host of the same deployment would be. */
async function startInstance(dsn: string, env: Record<string, string> = {}): Promise<Instance> {
  const config = loadConfig({ env: { DSN: dsn, SECRETS_SYSTEM: SECRET, LOG_LEVEL: 'fatal', ...env } });
  const runtime = await openRuntime(config, createLogger({ level: config.logLevel, format: 'json' }), { migrate: true });
  const publicApp = await createPublicApp(runtime);
  const adminApp = await createAdminApp(runtime);
  await publicApp.listen(0, '127.0.0.1');
  await adminApp.listen(0, '127.0.0.1');
  return { runtime, apps: [publicApp, adminApp], publicUrl: await baseUrl(publicApp), adminUrl: await baseUrl(adminApp) };
}

async function stopInstance(instance: Instance | undefined): Promise<void> {
  if (!instance) return;
  for (const app of instance.apps) await app.close();
  await closeRuntime(instance.runtime);
}

describe(`fault 12: 20 refreshes of one refresh token at once, ${TEST_DIALECT === 'postgres' ? 'across two instances on PostgreSQL' : 'on one SQLite instance'}`, () => {
  const ROUNDS = 40; // a fault seen in 1 round of 10 escapes 40 rounds with a chance of 1.5 %
  const RACERS = 20;

  async function raceSetup(env: Record<string, string>) {
    const db = await sharedDatabase();
    const a = await startInstance(db.dsn, env);
    // Two runtimes on one SQLite file in one process stall each other for the busy timeout, which no
    // deployment does (every worker and instance is a process of its own, and two such processes pass this
    // race): on SQLite the racers share one instance.
    const b = TEST_DIALECT === 'postgres' ? await startInstance(db.dsn, env) : a;
    const created = await createClient(a.adminUrl, {
      client_id: `racer-${randomUUID()}`,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      scope: 'openid offline_access',
      redirect_uris: [REDIRECT],
    });
    const basic = { id: created.client_id, secret: created.client_secret! };

    /** A fresh authorization code of the client, through first-party consent on instance A. */
    const freshCode = async (): Promise<string> => {
      const consent = await fetch(`${a.adminUrl}/admin/oauth2/authorize/consent?subject=racer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: basic.id, scope: 'openid offline_access', response_type: 'code', redirect_uri: REDIRECT, state: random() }),
      });
      return new URL(((await consent.json()) as { redirect_to: string }).redirect_to).searchParams.get('code')!;
    };

    /** A fresh refresh token of the client, through the code grant on instance A. */
    const freshTokens = async (): Promise<{ access_token: string; refresh_token: string }> => {
      const res = await tokenRequest(a.publicUrl, { grant_type: 'authorization_code', code: await freshCode(), redirect_uri: REDIRECT }, basic);
      expect(res.status).toBe(200);
      return res.body as { access_token: string; refresh_token: string };
    };

    /** RACERS token requests with `form` at once, alternating between the two instances. */
    const race = (form: Record<string, string>) =>
      Promise.all(Array.from({ length: RACERS }, (_, i) => tokenRequest((i % 2 === 0 ? a : b).publicUrl, form, basic)));

    const close = async () => {
      await stopInstance(a);
      if (b !== a) await stopInstance(b);
      await db.drop();
    };
    return { a, b, freshCode, freshTokens, race, close };
  }

  it(`exactly one wins, every loser gets 400 invalid_grant, and the chain is revoked (${ROUNDS} rounds)`, async () => {
    const setup = await raceSetup({});
    try {
      const outcomes: string[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const tokens = await setup.freshTokens();
        const answers = await setup.race({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
        const winners = answers.filter((r) => r.status === 200);
        const others = answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error}`);
        outcomes.push(`round ${round}: ${winners.length} won; ${[...new Set(others)].join(', ')}`);
        expect({ round, winners: winners.length, losers: others }).toEqual({ round, winners: 1, losers: Array(RACERS - 1).fill('400 invalid_grant') });

        // Theft detection as before: the chain is revoked, the winner's new tokens with it.
        const won = winners[0].body as { access_token: string; refresh_token: string };
        for (const token of [tokens.access_token, tokens.refresh_token, won.access_token, won.refresh_token]) {
          expect(await introspect(setup.a.adminUrl, token)).toEqual({ active: false });
        }
      }
      expect(outcomes).toHaveLength(ROUNDS);
    } finally {
      await setup.close();
    }
  });

  it('one authorization code redeemed 20 times at once: one wins, every loser gets 400 invalid_grant, what it issued is revoked', async () => {
    const setup = await raceSetup({});
    try {
      for (let round = 0; round < 15; round++) {
        const answers = await setup.race({ grant_type: 'authorization_code', code: await setup.freshCode(), redirect_uri: REDIRECT });
        const winners = answers.filter((r) => r.status === 200);
        const others = answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${r.body.error}`);
        expect({ round, winners: winners.length, losers: others }).toEqual({ round, winners: 1, losers: Array(RACERS - 1).fill('400 invalid_grant') });
        expect(await introspect(setup.b.adminUrl, winners[0].body.refresh_token)).toEqual({ active: false });
      }
    } finally {
      await setup.close();
    }
  });

  it('within OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD every racer is answered and nothing is revoked', async () => {
    const setup = await raceSetup({ OAUTH2_REFRESH_TOKEN_ROTATION_GRACE_PERIOD: '1m' });
    try {
      for (let round = 0; round < 5; round++) {
        const tokens = await setup.freshTokens();
        const answers = await setup.race({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token });
        expect(answers.map((r) => r.status)).toEqual(Array(RACERS).fill(200));
        const last = answers[answers.length - 1].body as { refresh_token: string };
        expect((await introspect(setup.b.adminUrl, last.refresh_token)).active).toBe(true);
      }
    } finally {
      await setup.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// The built command line as child processes

/** Starts `hydrant serve all --workers N` and waits until every worker listens on both ports. */
async function serveAll(workers: number, env: Record<string, string>) {
  const [publicPort, adminPort] = await freePorts(2);
  const proc = new Hydrant(['serve', 'all', '--workers', String(workers)], { SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(publicPort), SERVE_ADMIN_PORT: String(adminPort), ...env }, {
    cwd: tempDir(),
  });
  await proc.waitForLogs((l) => l.msg === 'public API listening', workers);
  await proc.waitForLogs((l) => l.msg === 'admin API listening', workers);
  return { proc, publicPort, adminPort };
}

const sqliteFile = () => path.join(tempDir(), 'db.sqlite');

describe('the built command line', () => {
  beforeAll(() => {
    if (!existsSync(BUILT_MAIN)) throw new Error(`${path.relative(ROOT, BUILT_MAIN)} is missing: run \`npm run build\` before this spec.`);
  });
  afterEach(() => killAllChildren());

  describe.each([1, 2])('fault 13: SIGTERM to `serve all --workers %i` with kept-alive connections', (workers) => {
    it('answers every request a client sent or closes cleanly (never a reset), says Connection: close after the signal, and stops accepting first', async () => {
      const { proc, publicPort, adminPort } = await serveAll(workers, { DSN: `sqlite://${sqliteFile()}` });

      // A client creation whose last bytes are held back: in flight for certain when the signal comes.
      const creation = httpRequest('POST', '/admin/clients', { body: JSON.stringify({ client_name: 'in-flight' }), contentType: 'application/json' });
      const slow = (await RawConnection.open(adminPort)).start(creation, creation.length - 5);
      // A kept-alive connection that is idle at the signal.
      const idle = await RawConnection.open(publicPort);
      expect(await idle.exchange(httpRequest('GET', '/health/alive'))).toMatchObject({ kind: 'answered', status: 200, close: false });
      // Kept-alive connections that send requests back to back, as a busy relying party does, until told to close.
      const introspection = httpRequest('POST', '/admin/oauth2/introspect', { body: 'token=none', contentType: 'application/x-www-form-urlencoded' });
      const busy = await Promise.all(Array.from({ length: 6 }, () => RawConnection.open(adminPort)));
      const loads = busy.map(async (conn) => {
        const seen: Exchange[] = [];
        for (;;) {
          const exchange = await conn.exchange(introspection);
          seen.push(exchange);
          if (exchange.kind !== 'answered' || exchange.close) return seen;
        }
      });
      await new Promise((r) => setTimeout(r, 300));

      proc.signal('SIGTERM');
      await proc.waitForLogs((l) => /^shutting down/.test(l.msg), workers);
      // The idle connection's next request: answered (and told to close), or a clean close, never a reset.
      const late = await idle.exchange(httpRequest('GET', '/health/alive'));
      expect(late.kind === 'answered' ? { kind: late.kind, close: late.close } : { kind: late.kind }).toEqual(
        late.kind === 'answered' ? { kind: 'answered', close: true } : { kind: expect.stringMatching(/^(closed|not sent)$/) },
      );
      // The listeners refuse new connections while the creation is still in flight.
      await eventually(async () => (await probePort(adminPort)) === 'refused' && (await probePort(publicPort)) === 'refused', 5000, 'both ports to refuse');

      slow.rest();
      const created = await slow.answer;
      const outcomes = await Promise.all(loads);
      const brief = (e: Exchange) => (e.kind === 'answered' ? `${e.status}${e.close ? ', Connection: close' : ''}` : e.kind === 'reset' ? `reset (${e.code})` : e.kind);
      // The creation is answered and told to close; no busy connection lost a request it sent, and each
      // ended with an answer telling it to close.
      expect({ created: brief(created), lost: outcomes.flat().filter((e) => e.kind !== 'answered').map(brief), last: outcomes.map((seen) => brief(seen[seen.length - 1])) }).toEqual({
        created: '201, Connection: close',
        lost: [],
        last: Array(busy.length).fill('200, Connection: close'),
      });
      expect((await proc.waitForExit()).code).toBe(0);
    });
  });

  describe('fault 13: readiness reflects whether a write can succeed', () => {
    it('answers 503 once the SQLite file is read-only while liveness stays 200, and 200 again once it is writable', async () => {
      const file = sqliteFile();
      const { proc, publicPort, adminPort } = await serveAll(1, { DSN: `sqlite://${file}` });
      const status = async (port: number, route: string) => (await fetch(`http://127.0.0.1:${port}${route}`)).status;
      expect(await status(publicPort, '/health/ready')).toBe(200);

      const makeWritable = makeReadOnly(file);
      try {
        await eventually(async () => (await status(publicPort, '/health/ready')) === 503 && (await status(adminPort, '/health/ready')) === 503, 10_000, 'readiness 503');
        const refused = await fetch(`http://127.0.0.1:${publicPort}/health/ready`);
        expect(await refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
        expect(await status(publicPort, '/health/alive')).toBe(200);
        expect(await status(adminPort, '/health/alive')).toBe(200);
      } finally {
        makeWritable();
      }
      await eventually(async () => (await status(publicPort, '/health/ready')) === 200, 10_000, 'readiness 200 again');
      proc.signal('SIGTERM');
      expect((await proc.waitForExit()).code).toBe(0);
    });
  });

  describe.each([1, 2])(`JANITOR_INTERVAL in \`serve all --workers %i\` (${TEST_DIALECT})`, (workers) => {
    it('removes an expired token without anyone calling flush, from the primary process only', async () => {
      const db = TEST_DIALECT === 'postgres' ? await createPostgresDatabase() : { dsn: `sqlite://${sqliteFile()}`, drop: async () => undefined };
      const { proc, publicPort, adminPort } = await serveAll(workers, { DSN: db.dsn, JANITOR_INTERVAL: '1s', TTL_ACCESS_TOKEN: '1s' });
      const reader = createDataSource({ dsn: db.dsn, dbBusyTimeout: 5000, dbPoolSize: 1 });
      try {
        const created = await createClient(`http://127.0.0.1:${adminPort}`, { grant_types: ['client_credentials'], scope: 'read' });
        const issued = await tokenRequest(`http://127.0.0.1:${publicPort}`, { grant_type: 'client_credentials' }, { id: created.client_id, secret: created.client_secret! });
        expect(issued.status).toBe(200);
        await reader.initialize();
        const stored = async () => Number((await reader.query(`SELECT COUNT(*) AS "n" FROM "hydrant_token" WHERE "client_id" = '${created.client_id}'`))[0].n);
        expect(await stored()).toBe(1);

        await eventually(async () => (await stored()) === 0, 15_000, 'the janitor to delete the expired token');
        const runs = proc.logs.filter((l) => /^janitor/.test(l.msg));
        expect(runs.length).toBeGreaterThan(0);
        expect([...new Set(runs.map((l) => l.pid))]).toEqual([proc.pid]);
        proc.signal('SIGTERM');
        expect((await proc.waitForExit()).code).toBe(0);
      } finally {
        if (reader.isInitialized) await reader.destroy();
        await proc.kill();
        await db.drop();
      }
    });
  });
});
