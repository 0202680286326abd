import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { BIN, childEnv, freePort } from './built-cli';
import { appendChildOutput } from './test-log';

/**
 * The built `hydrant` command (`npm run build` first) as a child process, for specs that need a real
 * process: signals, cluster workers, file permissions. Each child runs in a process group of its own, so
 * that `killAllChildren` in a spec's cleanup also ends the workers it forked.
 */

export interface LogLine {
  msg: string;
  pid: number;
  [field: string]: unknown;
}

const children = new Set<ChildProcess>();

export class Hydrant {
  readonly logs: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private output = '';
  private stdout = '';
  private stderr = '';
  private pending = '';

  constructor(args: string[], env: Record<string, string>, options: { cwd: string }) {
    // detached: a process group of its own, so that the cleanup kills cluster workers too.
    this.child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: childEnv(env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(this.child);
    const read = (chunk: string) => {
      this.output += chunk;
      this.stdout += chunk;
      this.pending += chunk;
      let newline: number;
      while ((newline = this.pending.indexOf('\n')) >= 0) {
        const line = this.pending.slice(0, newline).trim();
        this.pending = this.pending.slice(newline + 1);
        if (line.startsWith('{')) this.logs.push(JSON.parse(line) as LogLine);
      }
    };
    this.child.stdout!.setEncoding('utf8').on('data', read);
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.output += chunk;
      this.stderr += chunk;
    });
    // Into the e2e run's log, which is searched for secrets (test-log.ts); 'close' comes after the last output.
    this.child.on('close', () => appendChildOutput(this.stdout, this.stderr));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGKILL to the whole process group, if it still runs; settles once it is gone. */
  async kill(): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.exited;
  }

  /** Waits until `count` log lines match. */
  async waitForLogs(match: (line: LogLine) => boolean, count = 1, timeoutMs = 20_000): Promise<LogLine[]> {
    await eventually(() => this.logs.filter(match).length >= count, timeoutMs, `${count} log line(s) matching ${match}\n${this.output.slice(-3000)}`);
    return this.logs.filter(match);
  }

  async waitForExit(timeoutMs = 15_000) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`did not exit:\n${this.output.slice(-3000)}`)), timeoutMs)));
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}


/** SIGKILL to every child started here and still running, with its workers. */
export function killAllChildren(): void {
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
}

/** Whether a TCP connection to the port is accepted. */
export function probePort(port: number): Promise<'open' | 'refused'> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNREFUSED' ? resolve('refused') : reject(e)));
  });
}
