#!/usr/bin/env node
// Complete sign-ins per second, as a real login app and relying party run them, for Hydrant (the built
// CLI, `hydrant serve all`) and for the peer, panva's oidc-provider (servers/oidc-provider-flows.mjs),
// in the same run. Every flow has a fresh cookie jar, a new subject, PKCE S256, state and nonce, and ends
// with the ID token checked: RS256 signature against the JWKS fetched once at start, iss, aud, nonce, sub
// (flow-steps.js has the steps). Hydrant's flow is eight HTTP requests:
//   1. GET  /oauth2/auth                                   -> 302 to the login UI with login_challenge
//   2. GET  admin …/requests/login?login_challenge         (the login app reads the request)
//   3. PUT  admin …/requests/login/accept {subject, remember: false}
//   4. GET  redirect_to (browser, cookies)                 -> 302 with consent_challenge
//   5. GET  admin …/requests/consent?consent_challenge
//   6. PUT  admin …/requests/consent/accept {grant_scope, session: {id_token}}
//   7. GET  redirect_to                                    -> 302 to redirect_uri with code (state checked)
//   8. POST /oauth2/token (client_secret_basic, code_verifier) -> access, refresh and ID token
// The peer's flow is six: /auth, its interaction (login finished there), /auth resumed, its interaction
// (consent: a Grant for the scopes), /auth resumed -> code, /token. Its login app lives in its process, so
// the app's reads and decisions cost no HTTP request there. Neither side's login page is loaded (Hydrant's
// points at a discard port; the bench reads the challenges from the Location headers).
// Order: the peer first (one process: its store is in memory), then each Hydrant configuration, --dsn
// by --workers. C loops (default 16) run flows back to back for a warm-up (default 2 s), then for D seconds
// (default 10); a flow counts in the window it completes in. Per configuration: flows/s, requests/s,
// p50/p99 flow latency, errors (any unexpected status, missing field or rejected ID token), CPU per flow
// (server, PostgreSQL, load generator), peak RSS of the server's process tree, the mean time of each step's
// request (to its response headers, under the same load); then hydrant / peer flows/s
// per configuration, and two workers / one worker. Each Hydrant configuration gets a fresh SQLite file in a
// temp dir, or a fresh PostgreSQL database (dropped after).
// Usage: npm run bench:flows [-- --dsn sqlite|postgres|both] [--duration S] [--concurrency N] [--warmup S]
//        [--workers 1,2] [--only peer,hydrant]
// Env: BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres, the maintenance database the
//      fresh one is created from).
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, availableParallelism } = require('node:os');
const { join } = require('node:path');
const { dbCpuMs, freePort, machineBusyMs, mb, parseArgs, prepareDsn, selfCpuMs, sleep, stop, treeCpuMs, treeRss } = require('./support');
const { CLIENT_ID, FlowError, REDIRECT, SCOPE, SECRET, discover, hydrantFlow, peerFlow } = require('./flow-steps');

const args = parseArgs(process.argv.slice(2));
const DURATION = Number(args.duration ?? 10);
const CONCURRENCY = Number(args.concurrency ?? args.connections ?? 16);
const WARMUP = Number(args.warmup ?? 2);
const WORKER_COUNTS = (args.workers ?? '1,2').split(',').map(Number);
const DSNS = (args.dsn ?? 'sqlite') === 'both' ? ['sqlite', 'postgres'] : (args.dsn ?? 'sqlite').split(',');
const ONLY = (args.only ?? 'peer,hydrant').split(',');
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ROOT = join(__dirname, '..');
// Extra node flags for Hydrant's process, to profile it: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const DUMMY_UI = 'http://127.0.0.1:9'; // discard port: never contacted

for (const [name, value] of [['duration', DURATION], ['concurrency', CONCURRENCY], ['warmup', WARMUP]]) {
  if (!Number.isFinite(value) || value < 0 || (name !== 'warmup' && value <= 0)) throw new Error(`--${name} must be a positive number`);
}
for (const kind of DSNS) if (!['sqlite', 'postgres'].includes(kind)) throw new Error(`--dsn: unknown ${kind} (sqlite, postgres or both)`);
for (const what of ONLY) if (!['peer', 'hydrant'].includes(what)) throw new Error(`--only: unknown ${what} (peer, hydrant)`);

async function waitReady(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${url} did not answer 200`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** CONCURRENCY loops of `makeFlow`'s flows for WARMUP + DURATION seconds; counts what completes in the measured window. */
async function load(child, makeFlow, kind) {
  let measuring = false;
  let requests = 0;
  const latencies = [];
  const errorSamples = new Map();
  let errors = 0;
  const steps = new Map(); // step -> [requests, ms until the headers]
  const flow = makeFlow({
    requestDone(step, ms) {
      if (!measuring) return;
      requests++;
      const [n, total] = steps.get(step) ?? [0, 0];
      steps.set(step, [n + 1, total + ms]);
    },
  });
  let stopAt = Date.now() + WARMUP * 1000;
  let peak = [0, 0];

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
  const cpuNow = () => ({ server: treeCpuMs(child.pid), db: kind === 'postgres' ? dbCpuMs() : 0, self: selfCpuMs(), machine: machineBusyMs() });
  const before = cpuNow();
  stopAt = Date.now() + DURATION * 1000;
  measuring = true;
  const sampler = setInterval(() => {
    const now = treeRss(child.pid);
    peak = [Math.max(peak[0], now[0]), Math.max(peak[1], now[1])];
  }, 200);
  await Promise.race([sleep(DURATION * 1000), exit]);
  const after = cpuNow();
  const cpu = Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]));
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
    steps,
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

/** Starts a server in its own process group, loads it once it answers `readyUrl`, and stops it. */
async function measure(name, child, readyUrl, makeFlow, kind) {
  try {
    await waitReady(readyUrl, child);
    const flow = await makeFlow();
    process.stdout.write(`${name}: ${WARMUP} s warm-up + ${DURATION} s ... `);
    const result = await load(child, flow, kind);
    console.log(`${result.flows} flows, ${result.errors} errors`);
    for (const [message, count] of result.errorSamples) console.log(`  ${count} x ${message}`);
    console.log(`  mean ms per request: ${[...result.steps].sort(([a], [b]) => a.localeCompare(b)).map(([step, [n, total]]) => `${step} ${(total / n).toFixed(1)}`).join(', ')}`);
    return { name, kind, ...result };
  } finally {
    await stop(child);
  }
}

async function benchPeer() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [join(__dirname, 'servers/oidc-provider-flows.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), CLIENT_ID, CLIENT_SECRET: SECRET, REDIRECT_URI: REDIRECT },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const makeFlow = async () => {
    const op = await discover(base);
    return (stats) => peerFlow(op, stats);
  };
  return measure(`peer oidc-provider (${peerFlow.requests} requests/flow)`, child, `${base}/.well-known/openid-configuration`, makeFlow, 'peer');
}

async function benchHydrant(kind, workers) {
  const dir = mkdtempSync(join(tmpdir(), 'hydrant-bench-flows-'));
  const db = await prepareDsn(kind, dir, PG_URL, `hydrant_bench_flows_${process.pid}`);
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  const pub = `http://127.0.0.1:${publicPort}`;
  const admin = `http://127.0.0.1:${adminPort}`;
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, join(ROOT, 'bin/hydrant.js'), 'serve', 'all', '--workers', String(workers)], {
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
  const makeFlow = async () => {
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
    const op = await discover(pub);
    return (stats) => hydrantFlow(op, admin, stats);
  };
  try {
    const name = `hydrant ${kind}, ${workers} worker${workers > 1 ? 's' : ''} (${hydrantFlow.requests} requests/flow)`;
    return { workers, ...(await measure(name, child, `${admin}/health/ready`, makeFlow, kind)) };
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

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

/** hydrant / peer for every Hydrant configuration, and two workers / one worker per database. */
function ratios(rows) {
  const peer = rows.find((r) => r.kind === 'peer');
  const hydrant = rows.filter((r) => r.kind !== 'peer');
  const x = (a, b) => `${(a.flowsPerSec / b.flowsPerSec).toFixed(2)}x`;
  if (peer) for (const r of hydrant) console.log(`hydrant / peer flows/s, ${r.name}: ${x(r, peer)}`);
  for (const kind of DSNS) {
    const [one, two] = [1, 2].map((n) => hydrant.find((r) => r.kind === kind && r.workers === n));
    if (one && two) console.log(`hydrant ${kind}, two workers / one worker flows/s: ${x(two, one)}`);
  }
}

async function main() {
  const cpus = availableParallelism();
  console.log(
    `sign-ins (authorization code + PKCE, login and consent, ID token checked): ${CONCURRENCY} concurrent loops, ` +
      `${WARMUP} s warm-up + ${DURATION} s per configuration; ${cpus} CPUs; Node ${process.version}`,
  );
  console.log(
    `note: the load generator (this process, one thread) runs on the same ${cpus} CPUs as the servers${DSNS.includes('postgres') ? ' and PostgreSQL' : ''}; ` +
      `its CPU per flow is shown apart, and the figures are a lower bound of what a server alone would do.\n`,
  );
  const configurations = [];
  if (ONLY.includes('peer')) configurations.push(['peer', benchPeer]);
  if (ONLY.includes('hydrant')) for (const kind of DSNS) for (const n of WORKER_COUNTS) configurations.push([`hydrant ${kind}, ${n} worker(s)`, () => benchHydrant(kind, n)]);
  const rows = [];
  const failed = [];
  for (const [label, run] of configurations) {
    try {
      rows.push(await run());
    } catch (e) {
      console.log(`failed: ${e.message}`);
      failed.push(`${label}: ${e.message}`);
    }
  }
  console.log('');
  print(rows);
  console.log('');
  ratios(rows);
  for (const f of failed) console.log(`not measured: ${f}`);
  if (failed.length || rows.some((r) => r.errors > 0)) process.exitCode = 1;
  if (rows.some((r) => r.cpuOther > 0.1)) console.log('\nwarning: other processes used CPU during a run (the "other processes" figure); those runs\' figures are low.');
  console.log(
    `\nreq/s counts every HTTP request completed in the window (${hydrantFlow.requests} per Hydrant flow, ${peerFlow.requests} per peer flow); ` +
      'p50/p99 are whole-flow latencies.',
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
