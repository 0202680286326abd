import * as api from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  ParentBasedSampler,
  SpanExporter,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { HYDRANT_VERSION } from '../version';
import { setActiveTracing } from './active-tracing';
import type { TracingHandle, TracingLog } from './tracing-handle';
import type { TraceExporterName, TracingSettings } from './tracing.settings';

/** The longest a shutdown waits for the last export: an unreachable collector must not hold the stop. */
const SHUTDOWN_FLUSH_MS = 5_000;

/** Loaded only by startTracing, when tracing is on: everything here pulls in the SDK. */
export function startTracingSdk(settings: TracingSettings, log: TracingLog): TracingHandle {
  api.diag.setLogger(diagnostics(log), api.DiagLogLevel.WARN);
  const version = HYDRANT_VERSION.replace(/^v/, '');
  // Lowest to highest precedence: the SDK's defaults, Hydra's keys, then OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES.
  const resource = defaultResource()
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: settings.serviceName,
        [ATTR_SERVICE_VERSION]: version,
        ...(settings.deploymentEnvironment ? { [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: settings.deploymentEnvironment } : {}),
      }),
    )
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    // Without it the SDK builds its sampler from OTEL_TRACES_SAMPLER (parent-based, always on by default).
    ...(settings.samplingRatio === undefined ? {} : { sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.samplingRatio) }) }),
    // The batch processor reads OTEL_BSP_* (delay, batch and queue sizes) itself.
    spanProcessors: settings.exporters.map((name) => new BatchSpanProcessor(exporterOf(name, settings))),
  });
  // W3C trace context only, not baggage: a caller's baggage would otherwise be forwarded to the URLs that
  // clients registered (jwks_uri, back-channel logout), which are strangers to the caller.
  provider.register({ propagator: new W3CTraceContextPropagator() });
  setActiveTracing({ tracer: provider.getTracer('hydrant', version), api });
  return {
    async shutdown() {
      setActiveTracing(undefined);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS)));
      await Promise.race([provider.shutdown().catch(() => undefined), timeout]);
      clearTimeout(timer);
    },
  };
}

/** An exporter; the OTLP ones read OTEL_EXPORTER_OTLP_* themselves, and get only what Hydra's keys add. */
function exporterOf(name: TraceExporterName, settings: TracingSettings): SpanExporter {
  if (name === 'console') return new ConsoleSpanExporter();
  const options = {
    ...(settings.url ? { url: settings.url } : {}),
    ...(settings.authorization ? { headers: { Authorization: settings.authorization } } : {}),
  };
  return settings.protocol === 'http/json' ? new OtlpJsonTraceExporter(options) : new OtlpProtobufTraceExporter(options);
}

/** The SDK's warnings and errors as log lines: their message only, never the objects passed with it. */
function diagnostics(log: TracingLog): api.DiagLogger {
  const line = (message: string, ...args: unknown[]) => {
    const error = args.find((a): a is Error => a instanceof Error);
    log.warn({ otel: message, ...(error ? { detail: error.message } : {}) }, 'tracing: the OpenTelemetry SDK reported a problem');
  };
  const quiet = () => undefined;
  return { error: line, warn: line, info: quiet, debug: quiet, verbose: quiet };
}
