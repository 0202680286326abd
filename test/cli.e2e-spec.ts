/**
 * The `hydrant` command line as an operator runs it: the BUILT program (`node bin/hydrant.js …`, which needs
 * `npm run build` first) in real child processes, on ephemeral ports and temporary SQLite files (and one
 * fresh PostgreSQL database). Every child is started in a process group of its own, so that the cleanup
 * after each test kills it and any cluster workers it forked, whatever the test's outcome.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { BIN, BUILT_MAIN, childEnv, freePort, ROOT } from './support/built-cli';
import { createPostgresDatabase } from './support/test-database';

const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

jest.setTimeout(30_000);

// ---------------------------------------------------------------------------------------------------------
// helpers

interface LogLine {
  level: number;
  msg: string;
  pid: number;
  [field: string]: unknown;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every child this file started; the cleanup kills whatever is left of them. */
const children = new Set<HydrantProcess>();
const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hydrant-cli-e2e-'));
  tempDirs.push(dir);
  return dir;
}

class HydrantProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[] = [];
  stdout = '';
  stderr = '';
  exitStatus?: Exit;
  readonly exited: Promise<Exit>;
  private pending = '';
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly args: string[],
    env: Record<string, string>,
    cwd: string,
  ) {
    // detached: a process group of its own, so that the cleanup can kill cluster workers too.
    this.child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.pending += chunk;
      let newline: number;
      while ((newline = this.pending.indexOf('\n')) >= 0) {
        const line = this.pending.slice(0, newline).trim();
        this.pending = this.pending.slice(newline + 1);
        if (line.startsWith('{')) {
          try {
            this.logs.push(JSON.parse(line) as LogLine);
          } catch {
            // not a log line
          }
        }
      }
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise<Exit>((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        resolve(this.exitStatus);
        this.notify();
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  describe(): string {
    const tail = (s: string) => s.split('\n').slice(-25).join('\n');
    return `hydrant ${this.args.join(' ')} (pid ${this.pid}, exit ${JSON.stringify(this.exitStatus ?? null)})\n--- stdout:\n${tail(this.stdout)}\n--- stderr:\n${tail(this.stderr)}`;
  }

  /** Resolves once `count` log lines match; rejects if the process exits first or on timeout. */
  waitForLogs(match: (line: LogLine) => boolean, count = 1, timeoutMs = 20_000): Promise<LogLine[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.logs.filter(match);
        if (found.length >= count) return done(() => resolve(found));
        if (this.exitStatus) return done(() => reject(new Error(`exited before logging what was expected: ${this.describe()}`)));
      };
      const timer = setTimeout(() => done(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for a log line: ${this.describe()}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      this.listeners.add(check);
      check();
    });
  }

  waitForLog(msg: string, timeoutMs?: number): Promise<LogLine> {
    return this.waitForLogs((l) => l.msg === msg, 1, timeoutMs).then((lines) => lines[0]);
  }

  /** Resolves with the exit status; on timeout kills the process group and rejects. */
  async waitForExit(timeoutMs = 15_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const description = this.describe();
        this.killGroup();
        reject(new Error(`did not exit within ${timeoutMs} ms: ${description}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGKILL to the whole process group (the primary and its workers); harmless when already gone. */
  killGroup(): void {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Starts `hydrant ARGS` and leaves it running. */
function start(args: string[], env: Record<string, string>, cwd = tempDir()): HydrantProcess {
  return new HydrantProcess(args, env, cwd);
}

/** Runs `hydrant ARGS` to its end. */
async function run(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<HydrantProcess & { exitStatus: Exit }> {
  const proc = start(args, env);
  await proc.waitForExit(timeoutMs);
  return proc as HydrantProcess & { exitStatus: Exit };
}

/** Starts `hydrant serve …` and waits until every worker listens on every port its target serves. */
async function serve(args: string[], env: Record<string, string>, workers = 1): Promise<HydrantProcess> {
  const proc = start(['serve', ...args], env);
  const target = args[0];
  const waits: Promise<unknown>[] = [];
  if (target === 'all' || target === 'public') waits.push(proc.waitForLogs((l) => l.msg === 'public API listening', workers));
  if (target === 'all' || target === 'admin') waits.push(proc.waitForLogs((l) => l.msg === 'admin API listening', workers));
  await Promise.all(waits);
  return proc;
}

async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  body: any;
}

function readReply(res: http.IncomingMessage): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('error', reject);
    res.on('end', () => {
      let body: unknown = undefined;
      if (/json/.test(String(res.headers['content-type'] ?? '')) && text) body = JSON.parse(text);
      resolve({ status: res.statusCode!, headers: res.headers, text, body });
    });
  });
}

/** One HTTP request on a connection of its own. */
function call(method: string, url: string, body?: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        timeout: 10_000,
        headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => readReply(res).then(resolve, reject),
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Whether a TCP connection to host:port is accepted or refused. */
function probe(port: number, host = '127.0.0.1'): Promise<'open' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    socket.setTimeout(3000, () => socket.destroy(new Error(`connecting to ${host}:${port} timed out`)));
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? resolve('refused') : reject(e)));
  });
}

/** The first IPv4 address of this machine that is not loopback, if it has one. */
function externalIPv4(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sqliteDsn = () => `sqlite://${path.join(tempDir(), 'db.sqlite')}`;
const SECRET = 'cli-e2e-system-secret-0123456789';

// ---------------------------------------------------------------------------------------------------------

describe('hydrant (the built command line)', () => {
  beforeAll(() => {
    if (!existsSync(BUILT_MAIN)) {
      throw new Error(`${path.relative(ROOT, BUILT_MAIN)} is missing: run \`npm run build\` before this spec (npm test does).`);
    }
  });

  afterEach(async () => {
    const left = [...children];
    children.clear();
    for (const proc of left) proc.killGroup();
    await Promise.all(left.map((proc) => proc.exited));
  });

  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('`hydrant config example` prints hydrant.example.yaml, every key with its default', async () => {
    const proc = await run(['config', 'example']);
    expect(proc.exitStatus.code).toBe(0);
    expect(proc.stdout).toBe(readFileSync(path.join(ROOT, 'hydrant.example.yaml'), 'utf8'));
  });

  it('`hydrant version` prints v<package.json version>', async () => {
    const proc = await run(['version']);
    expect(proc.exitStatus.code).toBe(0);
    expect(proc.stdout.trim()).toBe(`v${PACKAGE_VERSION}`);
  });

  describe('configuration', () => {
    async function expectRefusedToStart(args: string[], env: Record<string, string>, key: string) {
      const [pub, adm] = await freePorts(2);
      const proc = await run(['serve', ...args], { DSN: sqliteDsn(), SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm), ...env });
      expect(proc.exitStatus.code).toBe(1);
      expect(proc.stderr).toContain(key);
      expect(proc.logs.some((l) => /listening/.test(l.msg))).toBe(false);
    }

    it('STRATEGIES_ACCESS_TOKEN=banana stops the start, naming the key', async () => {
      await expectRefusedToStart(['all'], { STRATEGIES_ACCESS_TOKEN: 'banana' }, 'STRATEGIES_ACCESS_TOKEN');
    });

    it('names a misspelled variable at start with the key it is close to, never its value, and starts on the default', async () => {
      const [pub, adm] = await freePorts(2);
      const proc = await serve(['all', '--workers', '1'], { DSN: sqliteDsn(), SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm), SERVE_ADMIN_PROT: '9999' });
      const warning = proc.logs.find((l) => /SERVE_ADMIN_PROT/.test(l.msg));
      expect(warning).toMatchObject({ level: 40, msg: 'unknown environment variable SERVE_ADMIN_PROT is ignored; did you mean SERVE_ADMIN_PORT?' });
      expect(JSON.stringify(proc.logs)).not.toContain('9999');
      expect(proc.logs.filter((l) => /environment variable|did you mean/.test(l.msg))).toHaveLength(1);
      proc.signal('SIGTERM');
      expect((await proc.waitForExit(5000)).code).toBe(0);
    });

    it('no SECRETS_SYSTEM stops the start outside --dev: a stored secret would sit beside the keys it encrypts', async () => {
      await expectRefusedToStart(['all', '--workers', '1'], {}, 'SECRETS_SYSTEM');
    });

    it('`hydrant secrets migrate` moves an installation off the generated secret, keeping its signing keys', async () => {
      const dsn = sqliteDsn();
      const [pub, adm] = await freePorts(2);
      const ports = { SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm) };
      const dev = await serve(['all', '--dev', '--workers', '1'], { DSN: dsn, ...ports });
      expect(dev.logs.some((l) => /generated on first start/.test(l.msg))).toBe(true);
      const kids = async () => ((await call('GET', `http://127.0.0.1:${pub}/.well-known/jwks.json`)).body.keys as Array<{ kid: string }>).map((k) => k.kid).sort();
      const before = await kids();
      dev.signal('SIGTERM');
      expect((await dev.waitForExit(5000)).code).toBe(0);

      const migrated = await run(['secrets', 'migrate'], { DSN: dsn, SECRETS_SYSTEM: SECRET });
      expect(migrated.exitStatus.code).toBe(0);
      expect(migrated.logs.some((l) => /re-encrypted/.test(l.msg) && l.keys === 2)).toBe(true);
      expect((await run(['secrets', 'migrate'], { DSN: dsn, SECRETS_SYSTEM: SECRET })).logs.some((l) => /nothing to migrate/.test(l.msg))).toBe(true);

      const production = await serve(['all', '--workers', '1'], { DSN: dsn, SECRETS_SYSTEM: SECRET, ...ports });
      expect(production.logs.some((l) => /generated|secrets migrate/.test(l.msg))).toBe(false);
      expect(await kids()).toEqual(before);
      // The access token key decrypts under SECRETS_SYSTEM: a JWT access token is signed with it.
      const client = await call('POST', `http://127.0.0.1:${adm}/admin/clients`, { grant_types: ['client_credentials'], access_token_strategy: 'jwt' });
      const basic = Buffer.from(`${client.body.client_id}:${client.body.client_secret}`).toString('base64');
      const token = await fetch(`http://127.0.0.1:${pub}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(token.status).toBe(200);
      const accessToken = ((await token.json()) as { access_token: string }).access_token;
      expect(before).toContain(JSON.parse(Buffer.from(accessToken.split('.')[0], 'base64url').toString()).kid);
      production.signal('SIGTERM');
      expect((await production.waitForExit(5000)).code).toBe(0);
    });

    it('TTL_ACCESS_TOKEN=forever stops the start, naming the key', async () => {
      await expectRefusedToStart(['all'], { TTL_ACCESS_TOKEN: 'forever' }, 'TTL_ACCESS_TOKEN');
    });

    it('a plain-http issuer on a public host is refused without --dev and accepted with it', async () => {
      await expectRefusedToStart(['all', '--workers', '1'], { URLS_SELF_ISSUER: 'http://example.com/' }, 'URLS_SELF_ISSUER');

      const [pub, adm] = await freePorts(2);
      const proc = await serve(['all', '--dev', '--workers', '1'], {
        DSN: sqliteDsn(),
        SECRETS_SYSTEM: SECRET,
        URLS_SELF_ISSUER: 'http://example.com/',
        SERVE_PUBLIC_PORT: String(pub),
        SERVE_ADMIN_PORT: String(adm),
      });
      expect((await call('GET', `http://127.0.0.1:${pub}/health/ready`)).status).toBe(200);
      proc.signal('SIGTERM');
      expect((await proc.waitForExit(5000)).code).toBe(0);
    });

    it('--config FILE (nested YAML) is honoured, and the environment overrides it', async () => {
      const [filePublic, fileAdmin, envAdmin] = await freePorts(3);
      const file = path.join(tempDir(), 'hydrant.yaml');
      writeFileSync(
        file,
        ['serve:', '  public:', `    port: ${filePublic}`, '  admin:', `    port: ${fileAdmin}`, 'log:', '  level: info', ''].join('\n'),
      );
      const proc = await serve(['all', '--workers', '1', '--config', file], { DSN: sqliteDsn(), SECRETS_SYSTEM: SECRET, SERVE_ADMIN_PORT: String(envAdmin) });

      const urls = proc.logs.filter((l) => /API listening$/.test(l.msg)).map((l) => String(l.url));
      expect(urls).toEqual(expect.arrayContaining([expect.stringContaining(`:${filePublic}`), expect.stringContaining(`:${envAdmin}`)]));
      expect((await call('GET', `http://127.0.0.1:${filePublic}/health/ready`)).status).toBe(200); // from the file
      expect((await call('GET', `http://127.0.0.1:${envAdmin}/health/ready`)).status).toBe(200); // the environment wins
      expect(await probe(fileAdmin)).toBe('refused'); // ... over the file
    });

    it('a bad value in the --config file stops the start, naming the key', async () => {
      const file = path.join(tempDir(), 'hydrant.yaml');
      writeFileSync(file, 'strategies:\n  access_token: banana\n');
      await expectRefusedToStart(['all', '--config', file], {}, 'STRATEGIES_ACCESS_TOKEN');
    });
  });

  it('logs every request once, as request_id, method, path, status and duration_ms, echoing X-Request-Id, and logs no credential', async () => {
    const [pub, adm] = await freePorts(2);
    const proc = await serve(['all', '--workers', '1'], { DSN: sqliteDsn(), SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm) });
    const secret = 'wrong-secret-never-logged';
    const basic = Buffer.from(`some-client:${secret}`).toString('base64');
    const sent = [
      // A fast route refusing a client, with Basic credentials.
      await fetch(`http://127.0.0.1:${pub}/oauth2/token`, { method: 'POST', headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }),
      // A query holding what looks like a code and a token, and a cookie.
      await fetch(`http://127.0.0.1:${pub}/oauth2/auth?client_id=nobody&code=hy_ac_never-logged&access_token=never-logged-either`, { headers: { cookie: 'hydrant_authentication_session=cookie-never-logged' }, redirect: 'manual' }),
      // A legacy admin path (rewritten to /admin/clients), with the caller's request id.
      await fetch(`http://127.0.0.1:${adm}/clients`, { headers: { 'x-request-id': 'caller-chosen-id-42' } }),
    ];
    expect(sent.map((r) => r.status)).toEqual([401, 400, 200]);
    expect(sent[2].headers.get('x-request-id')).toBe('caller-chosen-id-42');
    const generated = sent[0].headers.get('x-request-id')!;
    expect(generated).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    await proc.waitForLogs((l) => l.msg === 'request' && l.request_id === 'caller-chosen-id-42');
    const lines = proc.logs.filter((l) => l.msg === 'request');
    const of = (id: string) => lines.filter((l) => l.request_id === id);
    expect(of(generated)).toEqual([expect.objectContaining({ app: 'public', method: 'POST', path: '/oauth2/token', status: 401, duration_ms: expect.any(Number) })]);
    expect(of('caller-chosen-id-42')).toEqual([expect.objectContaining({ app: 'admin', method: 'GET', path: '/clients', status: 200 })]);
    expect(lines.filter((l) => l.path === '/oauth2/auth')).toEqual([expect.objectContaining({ method: 'GET', status: 400 })]);
    const everything = proc.stdout + proc.stderr;
    for (const never of [secret, basic, 'hy_ac_never-logged', 'never-logged-either', 'cookie-never-logged']) expect(everything).not.toContain(never);
    proc.signal('SIGTERM');
    expect((await proc.waitForExit(5000)).code).toBe(0);
  });

  it('`migrate status` lists pending migrations on a fresh SQLite file; `migrate up` applies them, twice is fine', async () => {
    const env = { DSN: sqliteDsn() };
    const parse = (stdout: string) =>
      stdout
        .split('\n')
        .filter((l) => /^(applied|pending)\t/.test(l))
        .map((l) => l.split('\t') as [string, string]);

    const fresh = await run(['migrate', 'status'], env);
    expect(fresh.exitStatus.code).toBe(0);
    const before = parse(fresh.stdout);
    expect(before.length).toBeGreaterThan(0);
    expect(before.every(([state]) => state === 'pending')).toBe(true);
    const names = before.map(([, name]) => name);
    expect(names).toContainEqual(expect.stringMatching(/^InitialSchema/));

    const up = await run(['migrate', 'up'], env);
    expect(up.exitStatus.code).toBe(0);
    expect(up.logs.find((l) => l.msg === 'applied migrations')?.migrations).toEqual(names);

    const after = await run(['migrate', 'status'], env);
    expect(after.exitStatus.code).toBe(0);
    expect(parse(after.stdout)).toEqual(names.map((name) => ['applied', name]));

    const again = await run(['migrate', 'up'], env);
    expect(again.exitStatus.code).toBe(0);
    expect(again.logs.some((l) => l.msg === 'the database is up to date')).toBe(true);
    expect(parse((await run(['migrate', 'status'], env)).stdout)).toEqual(names.map((name) => ['applied', name]));
  });

  it('`serve all --workers 2` on an SQLite file: both ports answer, concurrent writes from both workers land, SIGTERM stops it', async () => {
    const [pub, adm] = await freePorts(2);
    const proc = await serve(['all', '--workers', '2'], { DSN: sqliteDsn(), SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm) }, 2);

    const workerPids = [...new Set(proc.logs.filter((l) => l.msg === 'admin API listening').map((l) => l.pid))];
    expect(workerPids).toHaveLength(2);
    expect(workerPids).not.toContain(proc.pid);
    // Workers run with glibc's allocator bounded (serve.command.ts), which this spec's environment leaves unset.
    for (const pid of workerPids) {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      expect(environ).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'MALLOC_TRIM_THRESHOLD_=65536']));
    }

    expect((await call('GET', `http://127.0.0.1:${pub}/health/ready`)).status).toBe(200);
    expect((await call('GET', `http://127.0.0.1:${adm}/health/ready`)).status).toBe(200);

    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) => call('POST', `http://127.0.0.1:${adm}/admin/clients`, { client_name: `concurrent-${i}` })),
    );
    expect(created.map((r) => r.status)).toEqual(Array(40).fill(201));
    const ids = created.map((r) => r.body.client_id as string);
    expect(new Set(ids).size).toBe(40);

    const list = await call('GET', `http://127.0.0.1:${adm}/admin/clients?page_size=1000`);
    expect(list.status).toBe(200);
    const listed = (list.body as { client_id: string }[]).map((c) => c.client_id);
    expect(listed).toEqual(expect.arrayContaining(ids));
    expect(listed).toHaveLength(40);

    const started = Date.now();
    proc.signal('SIGTERM');
    expect((await proc.waitForExit(5000)).code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    await eventually(() => workerPids.every((pid) => !isAlive(pid)), 3000, 'the workers are gone');
  });

  it('`serve public` does not listen on the admin port, and `serve admin` not on the public port', async () => {
    const [pub, adm] = await freePorts(2);
    const env = { DSN: sqliteDsn(), SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm) };

    const publicOnly = await serve(['public', '--workers', '1'], env);
    expect((await call('GET', `http://127.0.0.1:${pub}/health/ready`)).status).toBe(200);
    expect((await call('GET', `http://127.0.0.1:${pub}/admin/clients`)).status).toBe(404); // the admin API is not on the public port
    expect(await probe(adm)).toBe('refused');
    expect(publicOnly.logs.some((l) => l.msg === 'admin API listening')).toBe(false);
    publicOnly.signal('SIGTERM');
    expect((await publicOnly.waitForExit(5000)).code).toBe(0);

    const adminOnly = await serve(['admin', '--workers', '1'], env);
    expect((await call('GET', `http://127.0.0.1:${adm}/health/ready`)).status).toBe(200);
    expect((await call('GET', `http://127.0.0.1:${adm}/admin/clients`)).status).toBe(200);
    expect(await probe(pub)).toBe('refused');
    expect(adminOnly.logs.some((l) => l.msg === 'public API listening')).toBe(false);
    adminOnly.signal('SIGTERM');
    expect((await adminOnly.waitForExit(5000)).code).toBe(0);
  });

  it('binds the admin port to 127.0.0.1 by default (the public port to every interface)', async () => {
    const [pub, adm] = await freePorts(2);
    const proc = await serve(['all', '--workers', '1'], { DSN: sqliteDsn(), SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm) });

    const adminUrl = String(proc.logs.find((l) => l.msg === 'admin API listening')?.url);
    expect(new URL(adminUrl).hostname).toBe('127.0.0.1');
    expect(new URL(adminUrl).port).toBe(String(adm));
    expect((await call('GET', `http://127.0.0.1:${adm}/health/ready`)).status).toBe(200);

    // On another address of this machine (a non-loopback one, else 127.0.0.2, which Linux routes to lo):
    // the public port, bound to every interface, answers there; the admin port does not.
    const other = externalIPv4() ?? '127.0.0.2';
    const reachable = await probe(pub, other).catch(() => 'unreachable');
    if (externalIPv4()) expect(reachable).toBe('open');
    if (reachable === 'open') expect(await probe(adm, other)).toBe('refused');
  });

  it('PostgreSQL: two instances started at once on one fresh database both come up and share their clients', async () => {
    const pg = await createPostgresDatabase();
    try {
      const [pubA, admA, pubB, admB] = await freePorts(4);
      // No SECRETS_SYSTEM (--dev): both instances also race to generate and store the system secret.
      const a = start(['serve', 'all', '--dev', '--workers', '1'], { DSN: pg.dsn, SERVE_PUBLIC_PORT: String(pubA), SERVE_ADMIN_PORT: String(admA) });
      const b = start(['serve', 'all', '--dev', '--workers', '1'], { DSN: pg.dsn, SERVE_PUBLIC_PORT: String(pubB), SERVE_ADMIN_PORT: String(admB) });
      await Promise.all([a.waitForLog('admin API listening'), b.waitForLog('admin API listening')]);

      for (const port of [pubA, admA, pubB, admB]) expect((await call('GET', `http://127.0.0.1:${port}/health/ready`)).status).toBe(200);

      // The migrations ran once, in exactly one of the two.
      const appliedBy = [a, b].filter((p) => p.logs.some((l) => l.msg === 'applied database migrations'));
      expect(appliedBy).toHaveLength(1);
      const db = new PgClient({ connectionString: pg.dsn });
      await db.connect();
      try {
        const { rows } = await db.query<{ name: string }>('SELECT name FROM hydrant_migrations');
        expect(rows.length).toBeGreaterThan(0);
        expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
      } finally {
        await db.end();
      }

      const created = await call('POST', `http://127.0.0.1:${admA}/admin/clients`, { client_name: 'made-on-a' });
      expect(created.status).toBe(201);
      const id = created.body.client_id as string;

      const readOnB = await call('GET', `http://127.0.0.1:${admB}/admin/clients/${encodeURIComponent(id)}`);
      expect(readOnB.status).toBe(200);
      expect(readOnB.body.client_name).toBe('made-on-a');

      expect((await call('DELETE', `http://127.0.0.1:${admB}/admin/clients/${encodeURIComponent(id)}`)).status).toBe(204);
      expect((await call('GET', `http://127.0.0.1:${admA}/admin/clients/${encodeURIComponent(id)}`)).status).toBe(404);

      a.signal('SIGTERM');
      b.signal('SIGTERM');
      const [exitA, exitB] = await Promise.all([a.waitForExit(5000), b.waitForExit(5000)]);
      expect(exitA.code).toBe(0);
      expect(exitB.code).toBe(0);
    } finally {
      for (const proc of children) proc.killGroup();
      await Promise.all([...children].map((proc) => proc.exited));
      await pg.drop();
    }
  });

  it('SIGTERM lets a request in flight finish, refuses new connections, then exits 0 with "stopped"', async () => {
    const [pub, adm] = await freePorts(2);
    const proc = await serve(['all', '--workers', '1'], { DSN: sqliteDsn(), SECRETS_SYSTEM: SECRET, SERVE_PUBLIC_PORT: String(pub), SERVE_ADMIN_PORT: String(adm) });

    // A client creation whose body arrives slowly: half before SIGTERM, the rest after the shutdown began.
    // The client keeps connections alive, as browsers and most HTTP libraries do.
    const agent = new http.Agent({ keepAlive: true });
    const payload = Buffer.from(JSON.stringify({ client_name: 'in-flight' }));
    const half = Math.floor(payload.length / 2);
    const req = http.request(`http://127.0.0.1:${adm}/admin/clients`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': payload.length },
    });
    const reply = new Promise<Reply>((resolve, reject) => {
      req.on('response', (res) => readReply(res).then(resolve, reject));
      req.on('error', reject);
    });
    req.flushHeaders();
    req.write(payload.subarray(0, half));
    await new Promise((r) => setTimeout(r, 300)); // the server has the request

    proc.signal('SIGTERM');
    await proc.waitForLogs((l) => /^shutting down/.test(l.msg), 1, 5000);
    await eventually(async () => (await probe(adm)) === 'refused', 3000, 'the admin port refuses new connections');
    expect(proc.exitStatus).toBeUndefined(); // still finishing the request

    req.end(payload.subarray(half));
    const res = await reply;
    expect(res.status).toBe(201);
    expect(res.body.client_name).toBe('in-flight');

    // Once that response is out, nothing is left to wait for: the kept-alive connection must not hold the
    // process open until its idle timeout.
    const answered = Date.now();
    try {
      expect((await proc.waitForExit(5000)).code).toBe(0);
      expect(Date.now() - answered).toBeLessThan(2000);
    } finally {
      agent.destroy();
    }
    expect(proc.logs.some((l) => l.msg === 'stopped')).toBe(true);
  });
});
