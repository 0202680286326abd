import { ChildProcess, spawn } from 'node:child_process';
import { BIN, childEnv, ROOT } from './built-cli';

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One run of the BUILT `hydrant` command line (`node bin/hydrant.js ARGS`, after `npx nest build`) as a
 * child process in a process group of its own: its stdout and stderr as text, a wait for what it prints
 * and for its exit, and a kill of the whole group that the spec's cleanup calls whatever happened.
 */
export class CliChild {
  static readonly running = new Set<CliChild>();

  readonly child: ChildProcess;
  readonly startedAt = Date.now();
  stdout = '';
  stderr = '';
  exitStatus?: CliExit;
  /** Date.now() when the child exited. */
  exitedAt?: number;
  readonly exited: Promise<CliExit>;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly args: string[],
    env: Record<string, string> = {},
  ) {
    this.child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: childEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    CliChild.running.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.notify((this.stdout += chunk)));
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => this.notify((this.stderr += chunk)));
    this.exited = new Promise<CliExit>((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitStatus = { code, signal };
        this.exitedAt = Date.now();
        CliChild.running.delete(this);
        resolve(this.exitStatus);
        this.notify();
      });
    });
  }

  private notify(_?: unknown): void {
    for (const listener of [...this.listeners]) listener();
  }

  describe(): string {
    return `hydrant ${this.args.join(' ')} (exit ${JSON.stringify(this.exitStatus ?? null)})\n--- stdout:\n${this.stdout}\n--- stderr:\n${this.stderr}`;
  }

  /** Resolves with the match once `stream` matches `pattern`; rejects if the child exits first or on timeout. */
  waitForOutput(pattern: RegExp, stream: 'stdout' | 'stderr' = 'stderr', timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms: ${this.describe()}`))), timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        settle();
      };
      const check = () => {
        const match = pattern.exec(this[stream]);
        if (match) return done(() => resolve(match));
        if (this.exitStatus) return done(() => reject(new Error(`exited before printing ${pattern}: ${this.describe()}`)));
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves with the exit status; on timeout kills the group and rejects. */
  async waitForExit(timeoutMs = 30_000): Promise<CliExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const description = this.describe();
        this.kill();
        reject(new Error(`did not exit within ${timeoutMs} ms: ${description}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGKILL to the child's process group; harmless when it is already gone. */
  kill(): void {
    try {
      process.kill(-this.child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Kills every child still running and waits for their exits. */
  static async killAll(): Promise<void> {
    const left = [...CliChild.running];
    for (const c of left) c.kill();
    await Promise.all(left.map((c) => c.exited));
  }
}
