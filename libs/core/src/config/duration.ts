/**
 * Go-style durations ("1h", "720h", "1h30m", "250ms", "0s"), as Hydra's configuration and its client lifespan
 * fields use them. Parsed to milliseconds; formatted back the way Go prints them ("1h0m0s").
 */
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The pattern Hydra's OpenAPI document gives for lifespan fields. */
export const GO_DURATION_PATTERN = /^([0-9]+(ns|us|µs|ms|s|m|h))+$|^0$/;

export function parseDuration(text: string): number {
  const value = text.trim();
  if (!GO_DURATION_PATTERN.test(value)) {
    throw new Error(`"${text}" is not a duration such as 1h, 30m, 10s or 1h30m`);
  }
  if (value === '0') return 0;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/([0-9]+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return Math.round(total);
}

/** Formats milliseconds as Go's time.Duration.String() does for whole seconds: 3600000 -> "1h0m0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = +(totalSeconds % 60).toFixed(3);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
