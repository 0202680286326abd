#!/usr/bin/env node
// Hydrant against a peer and the framework floor, one after another on this machine, with autocannon
// (32 connections, 10 s each): client_credentials issuance (opaque and JWT) and introspection of an
// active token. Prints requests/s, p50/p99 latency, errors and peak RSS, and the ratios Hydrant/peer and
// Hydrant/floor against the targets of the token-lifecycle issue. Every server gets the same 2 s warm-up
// first. On a shared 2-core machine one run can be a third off the next, so the whole sequence runs
// --rounds times (servers interleaved, so that a slow minute hits every one of them) and each figure is
// the run with the median requests/s of its configuration.
// Usage: npm run bench [-- --dsn sqlite|postgres|both] [--rounds N] [--duration S] [--connections N]
//        [--warmup S] [--only floor,peer,hydrant] [--workers 1,2]
'use strict';
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir, availableParallelism } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { basic, dbCpuMs, freePort, mb, parseArgs, prepareDsn, sleep, stop, treeCpuMs, treeRss } = require('./support');

const args = parseArgs(process.argv.slice(2));
const DURATION = Number(args.duration ?? 10);
const CONNECTIONS = Number(args.connections ?? 32);
const WARMUP = Number(args.warmup ?? 2);
const ROUNDS = Number(args.rounds ?? 3);
const ONLY = (args.only ?? 'floor,peer,hydrant').split(',');
const WORKER_COUNTS = args.workers ? args.workers.split(',').map(Number) : null;
const DSNS = (args.dsn ?? 'both') === 'both' ? ['sqlite', 'postgres'] : [args.dsn];
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROOT = join(__dirname, '..');
// Extra node flags for Hydrant's processes, to profile them: BENCH_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
const SECRET = 'bench-client-secret-0123456789abcdef';

async function waitReady(url, child) {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
      if (res.status > 0) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`${url} did not come up`);
}

/** Loads `request` for DURATION seconds while sampling the server's memory, after a short warm-up (JIT). */
async function load(name, child, request) {
  await autocannon({ connections: CONNECTIONS, duration: WARMUP, ...request });
  let peak = [0, 0];
  const sampler = setInterval(() => {
    const now = treeRss(child.pid);
    peak = [Math.max(peak[0], now[0]), Math.max(peak[1], now[1])];
  }, 200);
  const cpuBefore = treeCpuMs(child.pid) + dbCpuMs();
  const result = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...request });
  const cpu = treeCpuMs(child.pid) + dbCpuMs() - cpuBefore;
  clearInterval(sampler);
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    rssTotal: peak[0],
    rssPerProcess: peak[1],
    cpuPerRequestUs: (cpu * 1000) / Math.max(1, result.requests.total),
  };
}

function start(command, commandArgs, env) {
  return spawn(command, commandArgs, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
}

async function benchFloor(workers) {
  const port = await freePort();
  const child = start(process.execPath, [join(__dirname, 'servers/floor.js')], { PORT: String(port), WORKERS: String(workers) });
  const url = `http://127.0.0.1:${port}/oauth2/token`;
  try {
    await waitReady(url, child);
    return await load(`floor: no-op Nest+Express token route, ${workers} process${workers > 1 ? 'es' : ''}`, child, {
      url,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bench', SECRET) },
      body: 'grant_type=client_credentials&scope=read',
    });
  } finally {
    await stop(child);
  }
}

async function benchPeer(format) {
  const port = await freePort();
  const child = start(process.execPath, [join(__dirname, 'servers/oidc-provider.mjs')], { PORT: String(port), TOKEN_FORMAT: format, CLIENT_SECRET: SECRET });
  const base = `http://127.0.0.1:${port}`;
  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('bench', SECRET) };
  const body = 'grant_type=client_credentials&scope=read';
  try {
    await waitReady(`${base}/token`, child);
    const results = [await load(`peer oidc-provider: client_credentials (${format})`, child, { url: `${base}/token`, method: 'POST', headers, body })];
    if (format === 'opaque') {
      const token = (await (await fetch(`${base}/token`, { method: 'POST', headers, body })).json()).access_token;
      results.push(await load('peer oidc-provider: introspection', child, { url: `${base}/token/introspection`, method: 'POST', headers, body: `token=${token}` }));
    }
    return results;
  } finally {
    await stop(child);
  }
}

async function benchHydrant(kind, workers) {
  const dir = mkdtempSync(join(tmpdir(), 'hydrant-bench-'));
  const db = await prepareDsn(kind, dir, PG_URL, `hydrant_bench_${process.pid}`);
  const [publicPort, adminPort] = [await freePort(), await freePort()];
  const child = start(process.execPath, [...SERVER_NODE_ARGS, join(ROOT, 'bin/hydrant.js'), 'serve', 'all', '--workers', String(workers)], {
    DSN: db.dsn,
    SECRETS_SYSTEM: 'bench-system-secret-0123456789abcdef',
    SERVE_PUBLIC_PORT: String(publicPort),
    SERVE_PUBLIC_HOST: '127.0.0.1',
    SERVE_ADMIN_PORT: String(adminPort),
    LOG_LEVEL: 'warn',
  });
  const pub = `http://127.0.0.1:${publicPort}`;
  const admin = `http://127.0.0.1:${adminPort}`;
  const label = `hydrant ${kind}, ${workers} worker${workers > 1 ? 's' : ''}`;
  try {
    await waitReady(`${pub}/oauth2/token`, child);
    const clients = {};
    for (const strategy of ['opaque', 'jwt']) {
      const res = await fetch(`${admin}/admin/clients`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: `bench-${strategy}`, client_secret: SECRET, grant_types: ['client_credentials'], scope: 'read', access_token_strategy: strategy }),
      });
      if (res.status !== 201) throw new Error(`creating the ${strategy} client answered ${res.status}: ${await res.text()}`);
      clients[strategy] = basic(`bench-${strategy}`, SECRET);
    }
    const body = 'grant_type=client_credentials&scope=read';
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const results = [];
    for (const strategy of ['opaque', 'jwt']) {
      results.push(await load(`${label}: client_credentials (${strategy})`, child, { url: `${pub}/oauth2/token`, method: 'POST', headers: { ...form, authorization: clients[strategy] }, body }));
    }
    const token = (await (await fetch(`${pub}/oauth2/token`, { method: 'POST', headers: { ...form, authorization: clients.opaque }, body })).json()).access_token;
    results.push(await load(`${label}: introspection`, child, { url: `${admin}/admin/oauth2/introspect`, method: 'POST', headers: form, body: `token=${encodeURIComponent(token)}` }));
    return results;
  } finally {
    await stop(child);
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}


function print(rows) {
  const header = ['run', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU µs/req', 'peak RSS (total / largest process)'];
  const lines = rows.map((r) => [
    r.name,
    r.rps.toFixed(0),
    String(r.p50),
    String(r.p99),
    String(r.errors),
    r.cpuPerRequestUs.toFixed(0),
    `${mb(r.rssTotal)} / ${mb(r.rssPerProcess)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  for (const line of [header, ...lines]) console.log(line.map((c, i) => c.padEnd(widths[i])).join('  '));
}

/** Per configuration, the run with the median requests/s over the rounds. */
function medians(runs) {
  const byName = new Map();
  for (const run of runs) byName.set(run.name, [...(byName.get(run.name) ?? []), run]);
  return [...byName.values()].map((all) => [...all].sort((a, b) => a.rps - b.rps)[Math.floor((all.length - 1) / 2)]);
}

/** The targets of the token-lifecycle issue, each checked against the median runs. */
function checkTargets(rows, cpus) {
  const find = (name) => rows.find((r) => r.name === name);
  const floor = (n) => find(`floor: no-op Nest+Express token route, ${n} process${n > 1 ? 'es' : ''}`);
  const peer = (what) => find(`peer oidc-provider: ${what}`);
  const lines = [];
  const check = (label, value, target, met) => lines.push(`  ${met === undefined ? ' ' : met ? '✓' : '✗'} ${label}: ${value}${target ? ` (target ${target})` : ''}`);
  const ratio = (a, b) => (a && b ? a.rps / b.rps : undefined);
  for (const kind of DSNS) {
    const run = (workers, what) => find(`hydrant ${kind}, ${workers} worker${workers > 1 ? 's' : ''}: ${what}`);
    const one = ratio(run(1, 'client_credentials (opaque)'), floor(1));
    if (one !== undefined) check(`${kind}, 1 worker, client_credentials (opaque) / floor (1 process)`, `${one.toFixed(2)}x`, kind === 'sqlite' ? '≥ 0.85x' : '', kind === 'sqlite' ? one >= 0.85 : undefined);
    if (cpus < 2) continue;
    for (const what of ['client_credentials (opaque)', 'introspection', 'client_credentials (jwt)']) {
      const mine = run(cpus, what);
      const theirs = peer(what);
      const r = ratio(mine, theirs);
      if (r === undefined) continue;
      const targeted = kind === 'sqlite' && what !== 'client_credentials (jwt)';
      check(`${kind}, ${cpus} workers, ${what} / peer`, `${r.toFixed(2)}x`, targeted ? '≥ 1.5x' : '', targeted ? r >= 1.5 : undefined);
      if (!targeted) continue;
      check(`${kind}, ${cpus} workers, ${what}: p99`, `${mine.p99} ms against ${theirs.p99} ms`, '≤ the peer', mine.p99 <= theirs.p99);
      check(`${kind}, ${cpus} workers, ${what}: errors`, String(mine.errors), '0', mine.errors === 0);
      check(`${kind}, ${cpus} workers, ${what}: peak RSS per worker`, `${mb(mine.rssPerProcess)} against ${mb(theirs.rssPerProcess)}`, '≤ the peer', mine.rssPerProcess <= theirs.rssPerProcess);
    }
    const all = ratio(run(cpus, 'client_credentials (opaque)'), floor(cpus));
    if (all !== undefined) check(`${kind}, ${cpus} workers, client_credentials (opaque) / floor (${cpus} processes)`, `${all.toFixed(2)}x`);
  }
  return lines;
}

async function main() {
  const cpus = availableParallelism();
  console.log(`autocannon: ${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} round${ROUNDS > 1 ? 's' : ''}; ${cpus} CPUs; Node ${process.version}\n`);
  const runs = [];
  const workerCounts = WORKER_COUNTS ?? (cpus > 1 ? [1, cpus] : [1]);
  for (let round = 1; round <= ROUNDS; round++) {
    if (ROUNDS > 1) console.log(`round ${round} of ${ROUNDS}`);
    if (ONLY.includes('floor')) for (const n of workerCounts) runs.push(await benchFloor(n));
    if (ONLY.includes('peer')) {
      runs.push(...(await benchPeer('opaque')));
      runs.push(...(await benchPeer('jwt')));
    }
    if (ONLY.includes('hydrant')) for (const kind of DSNS) for (const n of workerCounts) runs.push(...(await benchHydrant(kind, n)));
  }
  const rows = medians(runs);
  console.log('');
  print(rows);
  console.log(`\nagainst the targets (${ROUNDS > 1 ? `median of ${ROUNDS} runs each` : 'one run each'})`);
  for (const line of checkTargets(rows, cpus)) console.log(line);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
