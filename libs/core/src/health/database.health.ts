import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DatabaseWriteProbe } from './database-write.probe';

const PROBE_TIMEOUT_MS = 2000;

/** Readiness of the database: a write must be able to succeed (database-write.probe.ts), within two seconds. */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly probe: DatabaseWriteProbe,
    private readonly indicator: HealthIndicatorService,
  ) {}

  async check(key = 'database') {
    const check = this.indicator.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), PROBE_TIMEOUT_MS);
      });
      const result = await Promise.race([this.probe.check(), timeout]);
      return result.writable ? check.up() : check.down({ message: result.reason });
    } catch (e) {
      return check.down({ message: (e as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
