import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { posix } from 'node:path';

/** Reads a file as text, or answers undefined when it cannot (no such file, not Linux, no permission). */
export type ReadText = (path: string) => string | undefined;

const readText: ReadText = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

/** cgroup v2's `cpu.max` ("QUOTA PERIOD", or "max PERIOD" for no limit) as CPUs, or undefined when unlimited. */
export function parseCpuMax(text: string): number | undefined {
  const [quota, period] = text.trim().split(/\s+/);
  const q = Number(quota);
  const p = Number(period ?? 100_000);
  if (quota === 'max' || !Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return undefined;
  return q / p;
}

/**
 * The CPU limit cgroup v2 sets on this process, in CPUs, or undefined. A container's `--cpus` or a systemd
 * unit's `CPUQuota=` lands in `cpu.max` of the process's cgroup or of one above it (a slice), so every
 * level up to the root is read and the tightest wins. cgroup v1 and other systems answer undefined.
 */
export function cgroupCpuLimit(read: ReadText = readText): number | undefined {
  const membership = read('/proc/self/cgroup')
    ?.split('\n')
    .find((line) => line.startsWith('0::'));
  if (membership === undefined) return undefined;
  let limit: number | undefined;
  for (let dir = posix.normalize(membership.slice(3).trim() || '/'); ; dir = posix.dirname(dir)) {
    const text = read(posix.join('/sys/fs/cgroup', dir, 'cpu.max'));
    const cpus = text === undefined ? undefined : parseCpuMax(text);
    if (cpus !== undefined) limit = Math.min(limit ?? cpus, cpus);
    if (dir === '/') return limit;
  }
}

/**
 * How many CPUs this process may use: Node's availableParallelism() (the CPUs of its affinity mask), capped
 * by the cgroup v2 quota rounded up. libuv before 1.49 (Node 20) does not read the quota, so in a container
 * limited to 2 CPUs on a 64-core host it would answer 64, and 64 workers would share 2 CPUs' time, each
 * with its own memory and database connections.
 */
export function availableCpus(machine: { parallelism: number; limit?: number } = { parallelism: availableParallelism(), limit: cgroupCpuLimit() }): number {
  const { parallelism, limit } = machine;
  return Math.max(1, limit === undefined ? parallelism : Math.min(parallelism, Math.ceil(limit)));
}
