import type { Tracer } from '@opentelemetry/api';

/**
 * The process's tracing while it is on: the tracer, and the OpenTelemetry API module itself. The API
 * travels with the tracer so that the instrumented code (request log, SQL, outbound calls) imports only
 * its types: with tracing off (the default) the instrumentation loads no OpenTelemetry package (the SDK
 * is loaded by startTracing alone), and each instrumented call costs one test of `activeTracing()`.
 */
export interface ActiveTracing {
  tracer: Tracer;
  api: typeof import('@opentelemetry/api');
}

let active: ActiveTracing | undefined;

/** The tracing of this process, or undefined while it is off. */
export function activeTracing(): ActiveTracing | undefined {
  return active;
}

/** Set by startTracing (and specs); undefined turns the instrumentation off again. */
export function setActiveTracing(tracing: ActiveTracing | undefined): void {
  active = tracing;
}
