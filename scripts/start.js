#!/usr/bin/env node
'use strict';
// `npm start` (after the build): Hydrant (`serve all --dev`, SQLite in ./data) and, once its admin API is
// ready, the example login/consent app on 127.0.0.1:3000, where Hydrant's default URLS_LOGIN, URLS_CONSENT
// and URLS_LOGOUT point. Both run as children sharing this terminal; Ctrl-C stops both, and when either
// one dies the other is stopped too.
const { spawn } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const ADMIN_URL = `http://127.0.0.1:${process.env.SERVE_ADMIN_PORT || 4445}`;
const EXAMPLE_URL = 'http://127.0.0.1:3000';
const READY_TIMEOUT_MS = 60_000;

const children = new Set();
let stopping = false;

function run(name, args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
  children.add(child);
  child.on('exit', (code, signal) => {
    children.delete(child);
    if (!stopping) {
      console.error(`${name} exited (${signal ?? `code ${code}`}); stopping.`);
      stop('SIGTERM', code || 1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
  return child;
}

function stop(signal, exitCode = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = exitCode;
  if (children.size === 0) process.exit(exitCode);
  for (const child of children) child.kill(signal);
}

/** Polls `url` until it answers 2xx; gives up when `alive()` turns false or the time is out. */
async function waitFor(url, alive) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (alive() && Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function main() {
  // A terminal's Ctrl-C reaches the children directly too; forwarding is for a plain `kill` of this process.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const hydrant = run('Hydrant', [path.join(ROOT, 'bin', 'hydrant.js'), 'serve', 'all', '--dev']);
  if (!(await waitFor(`${ADMIN_URL}/health/ready`, () => children.has(hydrant)))) {
    if (!stopping) console.error(`Hydrant's admin API at ${ADMIN_URL} did not become ready; stopping.`);
    return stop('SIGTERM', 1);
  }

  const example = run('the example app', [path.join(ROOT, 'dist', 'apps', 'example', 'src', 'main.js')], {
    HYDRANT_ADMIN_URL: ADMIN_URL,
    // The example app needs a key only when the admin API asks for one; any configured key will do.
    HYDRANT_ADMIN_API_KEY: (process.env.SERVE_ADMIN_API_KEYS || '').split(',')[0].trim(),
  });
  if (!(await waitFor(EXAMPLE_URL, () => children.has(example)))) return stop('SIGTERM', 1);

  console.log(`
Hydrant is running:
  public API (issuer)   http://127.0.0.1:${process.env.SERVE_PUBLIC_PORT || 4444}/
  admin API             ${ADMIN_URL}/
  login & consent app   ${EXAMPLE_URL}/

To sign in, run \`npm run demo\` in another terminal and open the URL it prints
(user alice, password wonderland), or run \`npm run demo -- --auto\` to watch a whole sign-in.
Press Ctrl-C to stop.
`);
}

main();
