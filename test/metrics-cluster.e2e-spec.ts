/**
 * Prometheus metrics of a `hydrant serve all --workers 2` server (the BUILT program, which needs
 * `npm run build` first): whichever worker a scrape lands on, it reports the requests of both.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { BIN, BUILT_MAIN, childEnv, freePort, ROOT } from './support/built-cli';
import { parseSamples, sumOf } from './support/prometheus-text';


jest.setTimeout(30_000);

/** One GET on a connection of its own, so that the cluster spreads the requests over its workers. */
function get(url: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, timeout: 10_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

describe('hydrant serve --workers 2: /metrics/prometheus', () => {
  let child: ChildProcess | undefined;
  let output = '';
  let dir: string;
  let publicUrl: string;
  let adminUrl: string;

  beforeAll(async () => {
    if (!existsSync(BUILT_MAIN)) {
      throw new Error(`${path.relative(ROOT, BUILT_MAIN)} is missing: run \`npm run build\` before this spec (npm test does).`);
    }
    dir = mkdtempSync(path.join(os.tmpdir(), 'hydrant-metrics-e2e-'));
    const [pub, adm] = [await freePort(), await freePort()];
    publicUrl = `http://127.0.0.1:${pub}`;
    adminUrl = `http://127.0.0.1:${adm}`;
    // detached: a process group of its own, so that afterAll kills the workers too.
    child = spawn(process.execPath, [BIN, 'serve', 'all', '--workers', '2'], {
      cwd: dir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv({
        DSN: `sqlite://${path.join(dir, 'db.sqlite')}`,
        SECRETS_SYSTEM: 'metrics-e2e-system-secret-0123456789',
        SERVE_PUBLIC_PORT: String(pub),
        SERVE_ADMIN_PORT: String(adm),
      }),
    });
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
    // Both workers listen on both ports: two "admin API listening" lines.
    const deadline = Date.now() + 20_000;
    while ((output.match(/"msg":"admin API listening"/g) ?? []).length < 2) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    if (child?.pid && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('one scrape reports the requests of every worker', async () => {
    const N = 20;
    for (let i = 0; i < N; i++) expect((await get(`${publicUrl}/health/alive`)).status).toBe(200);

    const scrape = await get(`${adminUrl}/metrics/prometheus`);
    expect(scrape.status).toBe(200);
    const samples = parseSamples(scrape.text);
    const labels = { app: 'public', method: 'GET', route: '/health/alive', status_code: '200' };
    expect(sumOf(samples, 'hydrant_http_request_duration_seconds_count', labels)).toBe(N);
    // Spread over two workers: round-robin gives each about half, so no single registry holds all N.
    expect(output).not.toMatch(/serving this worker’s metrics only/);
  });
});
