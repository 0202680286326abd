import type { FlushResult, Logger } from '@hydrant/core';

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * The janitor inside `serve` (JANITOR_INTERVAL): what `hydrant janitor` does, on a schedule, so that expired
 * and revoked tokens, codes and abandoned flows never pile up when nobody set up a cron job (issue 15: an
 * anonymous caller filled the database with flows that only a manual flush removed). It runs in one process
 * per instance. A run starts one interval after the previous one ended, so runs never overlap however long
 * one takes; a failed run is logged and the next comes as planned.
 */
export class JanitorSchedule {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly janitor: { flush(): Promise<FlushResult> },
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  /** Plans the first run one interval from now; an interval of 0 turns the janitor off. */
  start(): this {
    if (this.intervalMs > 0) this.plan();
    return this;
  }

  /** No run starts after this; settles once a run under way has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private plan(): void {
    // Unreferenced: a planned run never keeps a stopping process alive.
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => {
        this.running = undefined;
        if (!this.stopped) this.plan();
      });
    }, Math.min(this.intervalMs, MAX_DELAY_MS)).unref();
  }

  private async run(): Promise<void> {
    try {
      const deleted = await this.janitor.flush();
      this.logger.info({ deleted }, 'janitor: flushed what can no longer be used');
    } catch (e) {
      this.logger.error({ err: e }, 'janitor: the flush failed; it runs again at the next interval');
    }
  }
}
