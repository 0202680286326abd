import { appendFileSync, openSync } from 'node:fs';
import pino, { Logger } from 'pino';

/**
 * The e2e run's log (issue 14: secrets are never logged). e2e-log-setup.ts names a file in this variable;
 * every in-process Hydrant then logs into it at the most verbose level, the CLI children's output is
 * appended, and e2e-log-check.ts searches it when the run ends. Unset (a spec run outside the e2e
 * project), in-process servers stay quiet at `fatal`, as before.
 */
export const TEST_LOG_FILE_ENV = 'HYDRANT_TEST_LOG_FILE';
/** Set when e2e-log-setup.ts made the file itself, so that a passing check may remove it. */
export const TEST_LOG_GENERATED_ENV = 'HYDRANT_TEST_LOG_GENERATED';

function testLogFile(): string | undefined {
  return process.env[TEST_LOG_FILE_ENV] || undefined;
}

/** LOG_LEVEL of an in-process Hydrant: everything when the run keeps a log, so that the check sees every line. */
export function testLogLevel(): string {
  return testLogFile() ? 'trace' : 'fatal';
}

let fd: number | undefined;
let depth = 0;
let realStdoutFd = 1;

/**
 * Runs `start` with `process.stdout.fd` pointing at the log file. createLogger takes no destination:
 * pino.destination() writes to the `process.stdout.fd` of the moment the logger is made, and the apps make
 * their request loggers themselves. The swap lasts only while servers start; jest reports on stderr and
 * prints the specs' console output after each spec file. Nested and concurrent starts share one swap.
 */
export async function withLogsToTestFile<T>(start: () => Promise<T>): Promise<T> {
  const file = testLogFile();
  if (!file) return start();
  // One descriptor per spec file (each has a module registry of its own); the loggers keep it, so it stays open.
  fd ??= openSync(file, 'a');
  const stdout = process.stdout as unknown as { fd: number };
  if (depth++ === 0) {
    realStdoutFd = stdout.fd;
    stdout.fd = fd;
  }
  try {
    return await start();
  } finally {
    if (--depth === 0) stdout.fd = realStdoutFd;
  }
}

/** Fails the start loudly if a logger made under withLogsToTestFile does not write to the file: the check would pass on nothing. */
export function assertLogsToTestFile(logger: Logger): void {
  if (fd === undefined) return;
  const stream = (logger as unknown as Record<symbol, { fd?: number }>)[pino.symbols.streamSym];
  if (stream?.fd !== fd) throw new Error(`the in-process logger does not write to ${TEST_LOG_FILE_ENV}: pino no longer opens process.stdout.fd`);
}

/**
 * Appends a child process's log lines: pino's JSON lines of its stdout (not a command's printed result,
 * which may rightly hold a secret the operator asked for) and all of its stderr.
 */
export function appendChildOutput(stdout: string, stderr: string): void {
  const file = testLogFile();
  if (!file) return;
  const lines = stdout.split('\n').filter(isPinoLine);
  if (stderr.trim()) lines.push(...stderr.trimEnd().split('\n'));
  if (lines.length > 0) appendFileSync(file, `${lines.join('\n')}\n`);
}

function isPinoLine(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const parsed = JSON.parse(line) as { level?: unknown; time?: unknown };
    return typeof parsed.level === 'number' && typeof parsed.time === 'number';
  } catch {
    return false;
  }
}
