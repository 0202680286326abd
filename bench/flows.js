#!/usr/bin/env node
// Complete authorization code flows per second against the built CLI (`hydrant serve all`), with plain
// fetch (redirect: 'manual') and a minimal cookie jar, as a browser, a login/consent app and a
// confidential client would drive it together. Each flow is six HTTP requests:
//   1. GET  /oauth2/auth (PKCE S256, state, nonce, scope openid offline_access)  -> login_challenge
//   2. PUT  admin /admin/oauth2/auth/requests/login/accept {subject, remember: false}
//   3. GET  redirect_to (with the CSRF cookie)                                   -> consent_challenge
//   4. PUT  admin /admin/oauth2/auth/requests/consent/accept {grant_scope}
//   5. GET  redirect_to                                                           -> code (state checked)
//   6. POST /oauth2/token (client_secret_basic, code_verifier)                    -> access, refresh, ID token
// C loops (default 16) run flows back to back for a warm-up (default 2 s), then for D seconds (default 10);
// a flow counts in the window it completes in. Prints per configuration: flows/s, requests/s, p50/p99
// flow latency, errors (any unexpected status or missing field), CPU per flow (server, database, load
// generator) and peak RSS of the server's process tree. Each configuration gets a fresh SQLite file in a
// temp dir, or a fresh PostgreSQL database (dropped after). The login and consent URLs point at a dummy
// address that is never loaded: the script reads the challenges out of the Location headers.
// Usage: npm run bench:flows [-- --dsn sqlite|postgres|both] [--duration S] [--concurrency N] [--warmup S]
//        [--workers 1,2]
// Env: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres, the maintenance database the
//      fresh one is created from).
'use strict';
const { spawn } = require('node:child_process');
const { createHash, randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir, availableParallelism } = require('node:os');
const { join } = require('node:path');
const { basic, dbCpuMs, freePort, mb, parseArgs, prepareDsn, sleep, stop, treeCpuMs, treeRss } = require('./support');

const args = parseArgs(process.argv.slice(2));
const DURATION = Number(args.duration ?? 10);
const CONCURRENCY = Number(args.concurrency ?? args.connections ?? 16);
const WARMUP = Number(args.warmup ?? 2);
const WORKER_COUNTS = (args.workers ?? '1,2').split(',').map(Number);
const DSNS = (args.dsn ?? 'sqlite') === 'both' ? ['sqlite', 'postgres'] : (args.dsn ?? 'sqlite').split(',');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = join(__dirname, '..');
const SECRET = 'bench-client-secret-0123456789abcdef';
const CLIENT_ID = 'bench-code-flow';
const REDIRECT = 'http://127.0.0.1:9/callback';
const DUMMY_UI = 'http://127.0.0.1:9'; // discard port: never contacted
const SCOPE = 'openid offline_access';

for (const [name, value] of [['duration', DURATION], ['concurrency', CONCURRENCY], ['warmup', WARMUP]]) {
  if (!Number.isFinite(value) || value < 0 || (name !== 'warmup' && value <= 0)) throw new Error(`--${name} must be a positive number`);
}
for (const kind of DSNS) if (!['sqlite', 'postgres'].includes(kind)) throw new Error(`--dsn: unknown ${kind} (sqlite, postgres or both)`);

// ---------------------------------------------------------------------------------------------------
// Processes (the rest of what is read from /proc is in ./support.js)
// ---------------------------------------------------------------------------------------------------

/** Busy CPU time of the whole machine (every process), in milliseconds, from /proc/stat. */
function machineBusyMs() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return ((user + nice + system + irq + softirq + steal) * 1000) / 100;
}

/** CPU time of this process (the load generator), in milliseconds. */
const selfCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function waitHealthy(adminUrl, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(`${adminUrl}/health/ready`);
      if (res.status === 200) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${adminUrl}/health/ready did not answer 200`);
}

// ---------------------------------------------------------------------------------------------------
// One flow
// ---------------------------------------------------------------------------------------------------

class FlowError extends Error {}

/** A browser's cookies for one host, as much of RFC 6265 as this flow needs: name=value, deletion. */
class Jar {
  constructor() {
    this.cookies = new Map();
  }
  store(res) {
    for (const header of res.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => {
        const [k, v = ''] = a.split('=').map((s) => s.trim());
        return (k.toLowerCase() === 'max-age' && Number(v) <= 0) || (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now());
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

function makeFlow(pub, admin, stats) {
  const authorization = basic(CLIENT_ID, SECRET);

  /** One HTTP exchange; `expect` is the status the step must answer. */
  async function request(step, url, init, expect) {
    const res = await fetch(url, { redirect: 'manual', ...init });
    stats.requestDone();
    if (!expect.includes(res.status)) {
      const body = await res.text().catch(() => '');
      throw new FlowError(`${step}: ${res.status} (expected ${expect.join('/')}) ${body.slice(0, 200)}`);
    }
    return res;
  }

  /** The Location of a browser redirect, after storing its cookies. */
  async function browse(step, url, jar) {
    const cookie = jar.header();
    const res = await request(step, url, { headers: cookie ? { cookie } : {} }, [302, 303]);
    jar.store(res);
    await res.arrayBuffer(); // drain, so the connection goes back to the pool
    const location = res.headers.get('location');
    if (!location) throw new FlowError(`${step}: redirect without Location`);
    return new URL(location, url);
  }

  async function acceptChallenge(step, kind, challenge, body) {
    const res = await request(
      step,
      `${admin}/admin/oauth2/auth/requests/${kind}/accept?${kind}_challenge=${encodeURIComponent(challenge)}`,
      { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      [200],
    );
    const { redirect_to } = await res.json();
    if (!redirect_to) throw new FlowError(`${step}: no redirect_to`);
    return redirect_to;
  }

  const param = (step, url, name) => {
    const value = url.searchParams.get(name);
    if (!value) throw new FlowError(`${step}: no ${name} in ${url.origin}${url.pathname} (error=${url.searchParams.get('error')} ${url.searchParams.get('error_description') ?? ''})`);
    return value;
  };

  return async function flow(subject) {
    const jar = new Jar();
    const verifier = randomBytes(32).toString('base64url');
    const state = randomBytes(16).toString('base64url');
    const nonce = randomBytes(16).toString('base64url');
    const auth = new URL(`${pub}/oauth2/auth`);
    auth.search = new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      scope: SCOPE,
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();

    const toLogin = await browse('1 GET /oauth2/auth', auth, jar);
    const loginChallenge = param('1 GET /oauth2/auth', toLogin, 'login_challenge');
    const afterLogin = await acceptChallenge('2 PUT login/accept', 'login', loginChallenge, { subject, remember: false });
    const toConsent = await browse('3 GET login redirect_to', afterLogin, jar);
    const consentChallenge = param('3 GET login redirect_to', toConsent, 'consent_challenge');
    const afterConsent = await acceptChallenge('4 PUT consent/accept', 'consent', consentChallenge, { grant_scope: SCOPE.split(' ') });
    const callback = await browse('5 GET consent redirect_to', afterConsent, jar);
    const code = param('5 GET consent redirect_to', callback, 'code');
    if (callback.searchParams.get('state') !== state) throw new FlowError('5 GET consent redirect_to: state does not match');

    const res = await request(
      '6 POST /oauth2/token',
      `${pub}/oauth2/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }).toString(),
      },
      [200],
    );
    const tokens = await res.json();
    if (!tokens.access_token || !tokens.refresh_token || !tokens.id_token) throw new FlowError('6 POST /oauth2/token: a token is missing');
  };
}

// ---------------------------------------------------------------------------------------------------
// The load
// ---------------------------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** CONCURRENCY loops of flows for WARMUP + DURATION seconds; counts what completes in the measured window. */
async function load(child, pub, admin, kind) {
  let measuring = false;
  let requests = 0;
  const latencies = [];
  const errorSamples = new Map();
  let errors = 0;
  const stats = { requestDone: () => measuring && requests++ };
  const flow = makeFlow(pub, admin, stats);

  let stopAt = Date.now() + WARMUP * 1000;
  let peak = [0, 0];
  let sampler;
  let cpuBefore;

  // A server that dies mid-run (a crash, or its build replaced under it) ends the run instead of
  // turning into thousands of connection errors.
  let exited = null;
  const exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve((exited = `server exited (${signal ?? code}) during the run`))));

  const loops = Array.from({ length: CONCURRENCY }, async (_, loop) => {
    for (let n = 0; !exited && (Date.now() < stopAt || !measuring); n++) {
      const started = performance.now();
      try {
        await flow(`user-${loop}-${n}`);
        if (measuring && Date.now() <= stopAt) latencies.push(performance.now() - started);
      } catch (e) {
        if (measuring && Date.now() <= stopAt) {
          errors++;
          const key = e instanceof FlowError ? e.message.replace(/\s+/g, ' ').slice(0, 160) : `${e.name}: ${e.message}${e.cause ? ` (${e.cause.code ?? e.cause.message})` : ''}`;
          errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
        }
        await sleep(10); // an error must not turn into a busy loop
      }
    }
  });

  // The warm-up (JIT, pools, caches), then the measured window.
  await Promise.race([sleep(WARMUP * 1000), exit]);
  cpuBefore = { server: treeCpuMs(child.pid), db: kind === 'postgres' ? dbCpuMs() : 0, self: selfCpuMs(), machine: machineBusyMs() };
  stopAt = Date.now() + DURATION * 1000;
  measuring = true;
  sampler = setInterval(() => {
    const now = treeRss(child.pid);
    peak = [Math.max(peak[0], now[0]), Math.max(peak[1], now[1])];
  }, 200);
  await Promise.race([sleep(DURATION * 1000), exit]);
  const cpu = {
    server: treeCpuMs(child.pid) - cpuBefore.server,
    db: kind === 'postgres' ? dbCpuMs() - cpuBefore.db : 0,
    self: selfCpuMs() - cpuBefore.self,
    machine: machineBusyMs() - cpuBefore.machine,
  };
  clearInterval(sampler);
  await Promise.all(loops); // the flows in flight finish (outside the window)
  if (exited) throw new Error(exited);

  latencies.sort((a, b) => a - b);
  const flows = latencies.length;
  const per = (ms) => (flows ? (ms * 1000) / flows : NaN);
  return {
    flowsPerSec: flows / DURATION,
    rps: requests / DURATION,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    flows,
    errors,
    errorSamples,
    rssTotal: peak[0],
    rssLargest: peak[1],
    cpuServerUs: per(cpu.server),
    cpuDbUs: per(cpu.db),
    cpuSelfUs: per(cpu.self),
    cpuBusy: (cpu.server + cpu.db + cpu.self) / (DURATION * 1000),
    // Everything else the machine ran meanwhile (other processes skew the figures when this is not ~0).
    cpuOther: Math.max(0, cpu.machine - cpu.server - cpu.db - cpu.self) / (DURATION * 1000),
  };
}

async function benchHydrant(kind, workers) {
  const dir = mkdtempSync(join(tmpdir(), 'hydrant-bench-flows-'));
  const db = await prepareDsn(kind, dir, PG_URL, `hydrant_bench_flows_${process.pid}`);
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  const pub = `http://127.0.0.1:${publicPort}`;
  const admin = `http://127.0.0.1:${adminPort}`;
  const child = spawn(process.execPath, [join(ROOT, 'bin/hydrant.js'), 'serve', 'all', '--workers', String(workers)], {
    cwd: ROOT,
    env: {
      ...process.env,
      DSN: db.dsn,
      SECRETS_SYSTEM: 'bench-system-secret-0123456789abcdef',
      URLS_SELF_ISSUER: `${pub}/`,
      URLS_LOGIN: `${DUMMY_UI}/login`,
      URLS_CONSENT: `${DUMMY_UI}/consent`,
      URLS_LOGOUT: `${DUMMY_UI}/logout`,
      URLS_ERROR: `${DUMMY_UI}/error`,
      SERVE_PUBLIC_PORT: String(publicPort),
      SERVE_PUBLIC_HOST: '127.0.0.1',
      SERVE_ADMIN_PORT: String(adminPort),
      SERVE_ADMIN_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const name = `${kind}, ${workers} worker${workers > 1 ? 's' : ''}`;
  try {
    await waitHealthy(admin, child);
    const res = await fetch(`${admin}/admin/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: CLIENT_ID,
        client_secret: SECRET,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: SCOPE,
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    });
    if (res.status !== 201) throw new Error(`creating the client answered ${res.status}: ${await res.text()}`);
    process.stdout.write(`${name}: ${WARMUP} s warm-up + ${DURATION} s ... `);
    const result = await load(child, pub, admin, kind);
    console.log(`${result.flows} flows, ${result.errors} errors`);
    for (const [message, count] of result.errorSamples) console.log(`  ${count} x ${message}`);
    return { name, ...result };
  } finally {
    await stop(child);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------------

const ms = (v) => (Number.isNaN(v) ? 'n/a' : v.toFixed(1));
const us = (v) => (Number.isNaN(v) ? 'n/a' : (v / 1000).toFixed(2));

function print(rows) {
  const header = ['configuration', 'flows/s', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU ms/flow server+db+loadgen', 'CPU busy: bench / other processes', 'peak RSS (total / largest process)'];
  const lines = rows.map((r) => [
    r.name,
    r.flowsPerSec.toFixed(1),
    r.rps.toFixed(0),
    ms(r.p50),
    ms(r.p99),
    String(r.errors),
    `${us(r.cpuServerUs)} + ${us(r.cpuDbUs)} + ${us(r.cpuSelfUs)}`,
    `${r.cpuBusy.toFixed(2)} / ${r.cpuOther.toFixed(2)} cores`,
    `${mb(r.rssTotal)} / ${mb(r.rssLargest)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  for (const line of [header, ...lines]) console.log(line.map((c, i) => c.padEnd(widths[i])).join('  '));
}

async function main() {
  const cpus = availableParallelism();
  console.log(
    `authorization code flows (6 HTTP requests each): ${CONCURRENCY} concurrent loops, ${WARMUP} s warm-up + ${DURATION} s per configuration; ` +
      `${cpus} CPUs; Node ${process.version}`,
  );
  console.log(
    `note: the load generator (this process, one thread) runs on the same ${cpus} CPUs as Hydrant${DSNS.includes('postgres') ? ' and PostgreSQL' : ''}; ` +
      `its CPU per flow is shown apart, and the figures are a lower bound of what Hydrant alone would do.\n`,
  );
  const rows = [];
  const failed = [];
  for (const kind of DSNS)
    for (const n of WORKER_COUNTS) {
      try {
        rows.push(await benchHydrant(kind, n));
      } catch (e) {
        console.log(`failed: ${e.message}`);
        failed.push(`${kind}, ${n} worker${n > 1 ? 's' : ''}: ${e.message}`);
      }
    }
  console.log('');
  print(rows);
  for (const f of failed) console.log(`not measured: ${f}`);
  if (failed.length) process.exitCode = 1;
  if (rows.some((r) => r.cpuOther > 0.1)) console.log('\nwarning: other processes used CPU during a run (the "other processes" figure); those runs\' figures are low.');
  console.log('\nreq/s counts every HTTP request completed in the window (6 per complete flow); p50/p99 are whole-flow latencies.');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
