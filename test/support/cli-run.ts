/**
 * Runs the BUILT `hydrant` command line (`node bin/hydrant.js …`, which needs `npx nest build` first) to its
 * end, as a script would: stdin fed or closed, stdout and stderr captured, the exit code. Every child is
 * started in a process group of its own and tracked, so that `killCliChildren()` (in afterEach/afterAll)
 * ends whatever is left of them whatever a test's outcome. TEST_HYDRANT_BIN runs another built copy
 * instead (e.g. a checkout built apart, on a machine where others rebuild dist/ meanwhile).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, BUILT_MAIN, childEnv, ROOT } from './built-cli';

const CLI = process.env.TEST_HYDRANT_BIN ?? BIN;

export interface CliResult {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  ms: number;
}

const running = new Set<ChildProcess>();
const dirs: string[] = [];

/** Fails early, with the fix, when the CLI was not built. */
export function requireBuiltCli(): void {
  if (!process.env.TEST_HYDRANT_BIN && !existsSync(BUILT_MAIN)) throw new Error(`${path.relative(ROOT, BUILT_MAIN)} is missing: run \`npx nest build\` before this spec.`);
}

/**
 * `hydrant ARGS` to its end. `env` is added to the child's environment (built-cli's childEnv, without
 * ORY_SDK_URL unless given here); `input` is written to its stdin, which is closed either way. It runs in
 * a temporary directory of its own unless `cwd` is given.
 */
export function runCli(args: string[], options: { env?: Record<string, string>; input?: string | Buffer; timeoutMs?: number; cwd?: string } = {}): Promise<CliResult> {
  const env = childEnv({});
  delete env.ORY_SDK_URL;
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...env, ...options.env }, cwd: options.cwd ?? tempDir(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin!.on('error', () => undefined); // a child that exits before reading its stdin
  child.stdin!.end(options.input);
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`hydrant ${args.join(' ')} did not exit within ${timeoutMs} ms\n--- stdout:\n${stdout}\n--- stderr:\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ args, code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Kills every child still running (and its process group); for afterEach/afterAll. */
export async function killCliChildren(): Promise<void> {
  const left = [...running];
  running.clear();
  for (const child of left) killGroup(child);
  await Promise.all(left.map((child) => (child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((r) => child.once('close', r)))));
}

/** A temporary directory, removed by `removeTempDirs()`. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hydrant-cli-run-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function describe(result: CliResult): string {
  return `hydrant ${result.args.join(' ')} → exit ${result.code}${result.signal ? ` (${result.signal})` : ''}\n--- stdout:\n${result.stdout}\n--- stderr:\n${result.stderr}`;
}

/** Exit 0; answers stdout. */
export function ok(result: CliResult): string {
  if (result.code !== 0) throw new Error(`expected success: ${describe(result)}`);
  return result.stdout;
}

/** Exit 0 and stdout exactly one JSON document (`--format json`: one line); answers it. */
export function okJson<T = any>(result: CliResult): T {
  const stdout = ok(result);
  let document: T;
  try {
    document = JSON.parse(stdout) as T;
  } catch (e) {
    throw new Error(`stdout is not one JSON document (${(e as Error).message}): ${describe(result)}`, { cause: e });
  }
  if (result.args.includes('json') && stdout !== `${JSON.stringify(document)}\n`) throw new Error(`--format json must print one line: ${describe(result)}`);
  return document;
}

/**
 * A failure as the issue requires it: a non-zero exit, a one-line reason first on stderr matching
 * `reason`, no stack trace, and nothing on stdout unless `stdout` allows it.
 */
export function expectFailure(result: CliResult, reason: RegExp, options: { stdout?: boolean } = {}): void {
  if (result.code === 0 || result.code === null) throw new Error(`expected a non-zero exit: ${describe(result)}`);
  const first = result.stderr.split('\n')[0];
  if (!/^(hydrant|error): \S/.test(first) || !reason.test(first)) throw new Error(`expected a first stderr line matching ${reason}: ${describe(result)}`);
  if (/^\s+at .+(:\d+:\d+\)?|\(native\))$/m.test(result.stderr) || /node:internal|Node\.js v\d|Error: .*\n\s+at /.test(result.stderr)) {
    throw new Error(`stderr holds a stack trace: ${describe(result)}`);
  }
  if (!options.stdout && result.stdout !== '') throw new Error(`expected nothing on stdout: ${describe(result)}`);
}
