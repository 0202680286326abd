import type { TracingHandle, TracingLog } from './tracing-handle';
import type { TracingSettings } from './tracing.settings';

export type { TracingHandle, TracingLog } from './tracing-handle';

/**
 * Starts the OpenTelemetry SDK of this process with `settings` (tracingSettings). The SDK is loaded here,
 * on demand, so that a process with tracing off never loads it. Each process that serves starts its own:
 * cluster workers share no SDK.
 */
export async function startTracing(settings: TracingSettings, log: TracingLog): Promise<TracingHandle> {
  const { startTracingSdk } = await import('./tracing-sdk');
  return startTracingSdk(settings, log);
}
