import { availableCpus, cgroupCpuLimit, parseCpuMax, ReadText } from './available-cpus';

/** A file system of the given files only. */
const files = (contents: Record<string, string>): ReadText => (path) => contents[path];

describe('cpu.max', () => {
  it.each([
    ['max 100000', undefined],
    ['200000 100000\n', 2],
    ['150000 100000', 1.5],
    ['50000 100000', 0.5],
    ['0 100000', undefined],
    ['garbage', undefined],
  ])('reads %p as %p CPUs', (text, cpus) => {
    expect(parseCpuMax(text)).toBe(cpus);
  });
});

describe('the cgroup v2 CPU limit of this process', () => {
  it('is the quota of its own cgroup (a container: the cgroup namespace shows it as the root)', () => {
    expect(cgroupCpuLimit(files({ '/proc/self/cgroup': '0::/\n', '/sys/fs/cgroup/cpu.max': '200000 100000\n' }))).toBe(2);
  });

  it('is the tightest quota from its cgroup up to the root (a systemd unit in a slice)', () => {
    const read = files({
      '/proc/self/cgroup': '0::/system.slice/hydrant.service\n',
      '/sys/fs/cgroup/system.slice/hydrant.service/cpu.max': '300000 100000',
      '/sys/fs/cgroup/system.slice/cpu.max': '150000 100000',
    });
    expect(cgroupCpuLimit(read)).toBe(1.5);
  });

  it('is none when every level says max, on cgroup v1, or off Linux', () => {
    expect(cgroupCpuLimit(files({ '/proc/self/cgroup': '0::/user.slice\n', '/sys/fs/cgroup/user.slice/cpu.max': 'max 100000' }))).toBeUndefined();
    expect(cgroupCpuLimit(files({ '/proc/self/cgroup': '4:memory:/docker/abc\n1:cpu:/docker/abc\n' }))).toBeUndefined();
    expect(cgroupCpuLimit(files({}))).toBeUndefined();
  });

  it('answers something on this machine without throwing', () => {
    expect(() => cgroupCpuLimit()).not.toThrow();
  });
});

describe('available CPUs (the default number of workers)', () => {
  it('are the CPUs of the affinity mask when there is no quota', () => {
    expect(availableCpus({ parallelism: 8 })).toBe(8);
  });

  it('are capped by the quota, rounded up, and never below one', () => {
    expect(availableCpus({ parallelism: 64, limit: 2 })).toBe(2);
    expect(availableCpus({ parallelism: 64, limit: 1.5 })).toBe(2);
    expect(availableCpus({ parallelism: 64, limit: 0.25 })).toBe(1);
    expect(availableCpus({ parallelism: 2, limit: 8 })).toBe(2);
  });
});
