import type { FlushResult, Logger } from '@hydrant/core';
import { JanitorSchedule } from './janitor.schedule';

const NOTHING = { tokens: 0 } as FlushResult;

function logger() {
  return { info: jest.fn(), error: jest.fn() } as unknown as Logger & { info: jest.Mock; error: jest.Mock };
}

/** A flush that ends when the spec says so. */
function heldFlush() {
  const releases: Array<() => void> = [];
  const flush = jest.fn(() => new Promise<FlushResult>((resolve) => releases.push(() => resolve(NOTHING))));
  return { flush, release: () => releases.shift()?.() };
}

describe('JanitorSchedule', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('flushes once per interval, the first one interval after the start, and logs what it deleted', async () => {
    const flush = jest.fn().mockResolvedValue({ tokens: 3 });
    const log = logger();
    const janitor = new JanitorSchedule({ flush }, 1000, log).start();
    await jest.advanceTimersByTimeAsync(999);
    expect(flush).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(flush).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2000);
    expect(flush).toHaveBeenCalledTimes(3);
    expect(log.info).toHaveBeenCalledWith({ deleted: { tokens: 3 } }, expect.stringMatching(/^janitor/));
    await janitor.stop();
  });

  it('never overlaps itself: the next run starts one interval after a slow run ended', async () => {
    const { flush, release } = heldFlush();
    const janitor = new JanitorSchedule({ flush }, 1000, logger()).start();
    await jest.advanceTimersByTimeAsync(1000);
    await jest.advanceTimersByTimeAsync(5000);
    expect(flush).toHaveBeenCalledTimes(1);
    release();
    await jest.advanceTimersByTimeAsync(999);
    expect(flush).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(flush).toHaveBeenCalledTimes(2);
    release();
    await janitor.stop();
  });

  it('logs a failed run and keeps its schedule', async () => {
    const flush = jest.fn().mockRejectedValueOnce(new Error('database is locked')).mockResolvedValue(NOTHING);
    const log = logger();
    const janitor = new JanitorSchedule({ flush }, 1000, log).start();
    await jest.advanceTimersByTimeAsync(1000);
    expect(log.error).toHaveBeenCalledWith({ err: expect.any(Error) }, expect.stringMatching(/^janitor/));
    await jest.advanceTimersByTimeAsync(1000);
    expect(flush).toHaveBeenCalledTimes(2);
    await janitor.stop();
  });

  it('stop() waits for a run under way and plans no other', async () => {
    const { flush, release } = heldFlush();
    const janitor = new JanitorSchedule({ flush }, 1000, logger()).start();
    await jest.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = janitor.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await jest.advanceTimersByTimeAsync(10_000);
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('an interval of 0 never runs', async () => {
    const flush = jest.fn().mockResolvedValue(NOTHING);
    const janitor = new JanitorSchedule({ flush }, 0, logger()).start();
    await jest.advanceTimersByTimeAsync(24 * 3600_000);
    expect(flush).not.toHaveBeenCalled();
    await janitor.stop();
  });
});
