// What the benchmarks share: command-line options, ports, the servers' processes (CPU and memory read
// from /proc, stopping a process group) and a fresh database per run.
'use strict';
const { readFileSync, readdirSync } = require('node:fs');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { Client: PgClient } = require('pg');

/** `--name value` pairs of the command line. */
const parseArgs = (argv) =>
  Object.fromEntries(argv.reduce((pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []));

/**
 * A port nobody listens on, below Linux's ephemeral range (32768+): a port the kernel handed out for
 * listening there may next become the source port of one of the load generator's thousands of outgoing
 * connections, and a server then started on it fails with EADDRINUSE (seen once in a bench run). Ports
 * already handed out by this process are not handed out again.
 */
const taken = new Set();
const freePort = async () => {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (taken.has(port)) continue;
    const free = await new Promise((resolve) => {
      const s = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;
const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;

/** The pids of a process and its descendants. */
function processTree(rootPid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const tree = [rootPid];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** CPU time (user + system) one process has used, in milliseconds; throws when it is gone. */
function cpuOfPid(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

/** CPU time a process tree has used, in milliseconds. */
function treeCpuMs(rootPid) {
  let total = 0;
  for (const pid of processTree(rootPid)) {
    try {
      total += cpuOfPid(pid);
    } catch {}
  }
  return total;
}

/** RSS of a process and its descendants, in bytes: [total, largest single process]. */
function treeRss(rootPid) {
  let total = 0;
  let largest = 0;
  for (const pid of processTree(rootPid)) {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      total += kb * 1024;
      largest = Math.max(largest, kb * 1024);
    } catch {}
  }
  return [total, largest];
}

/** CPU time of the PostgreSQL server processes (a Hydrant on PostgreSQL spends part of its work there). */
function dbCpuMs() {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').startsWith('postgres')) continue;
      total += cpuOfPid(entry);
    } catch {}
  }
  return total;
}

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

/** Stops a server started in its own process group: SIGTERM, then SIGKILL after 5 s. */
async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
  await Promise.race([exited, sleep(5000)]);
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {}
}

/** A fresh database for one run: an SQLite file in `dir`, or a PostgreSQL database `name` on `pgUrl`'s server. */
async function prepareDsn(kind, dir, pgUrl, name) {
  if (kind === 'sqlite') return { dsn: `sqlite://${join(dir, 'bench.sqlite')}`, drop: async () => {} };
  const query = async (sql) => {
    const c = new PgClient({ connectionString: pgUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await query(`CREATE DATABASE "${name}"`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return { dsn: url.toString(), drop: () => query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

module.exports = { parseArgs, freePort, sleep, basic, mb, processTree, cpuOfPid, treeCpuMs, treeRss, dbCpuMs, machineBusyMs, selfCpuMs, stop, prepareDsn };
