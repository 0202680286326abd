import { ConfigError } from '../config/config.loader';
import { HydrantConfig } from '../config/hydrant.config';

/** Hydra's `tracing.*` keys, as the configuration holds them. */
export type TracingKeys = Pick<
  HydrantConfig,
  | 'tracingProvider'
  | 'tracingServiceName'
  | 'tracingDeploymentEnvironment'
  | 'tracingProvidersOtlpServerUrl'
  | 'tracingProvidersOtlpInsecure'
  | 'tracingProvidersOtlpSamplingSamplingRatio'
  | 'tracingProvidersOtlpAuthorizationHeader'
>;

export type TraceExporterName = 'otlp' | 'console';
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/**
 * What the SDK is started with. Only what Hydra's keys add is here: whatever the standard OTEL_* variable
 * sets instead is left out, and the SDK reads that variable itself (endpoint, headers, sampler, batch
 * delays, resource attributes).
 */
export interface TracingSettings {
  exporters: TraceExporterName[];
  protocol: OtlpProtocol;
  /** `service.name` unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES names one. */
  serviceName: string;
  deploymentEnvironment?: string;
  /** The traces endpoint, from TRACING_PROVIDERS_OTLP_SERVER_URL; absent when an OTEL_ variable names one. */
  url?: string;
  /** From TRACING_PROVIDERS_OTLP_AUTHORIZATION_HEADER; absent when an OTEL_ variable sets headers. */
  authorization?: string;
  /** A parent-based ratio sampler, from Hydra's ratio; absent when OTEL_TRACES_SAMPLER chooses the sampler. */
  samplingRatio?: number;
}

const EXPORTERS = new Set(['otlp', 'console', 'none']);

/**
 * Whether tracing is on, and how, from the standard OTEL_* variables and Hydra's `tracing.*` keys; the
 * standard variables win wherever both say something. Off (undefined) unless OTEL_TRACES_EXPORTER names
 * `otlp` or `console` or, with OTEL_TRACES_EXPORTER unset, TRACING_PROVIDER is set; OTEL_SDK_DISABLED=true
 * turns it off whatever else is set. A value Hydrant cannot honour stops the start (ConfigError) rather
 * than exporting nowhere in silence: an unknown exporter, and the gRPC protocol (only OTLP over HTTP is
 * shipped).
 */
export function tracingSettings(keys: TracingKeys, env: NodeJS.ProcessEnv = process.env): TracingSettings | undefined {
  const set = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  if (set('OTEL_SDK_DISABLED')?.toLowerCase() === 'true') return undefined;

  const named = set('OTEL_TRACES_EXPORTER');
  let exporters: string[];
  if (named !== undefined) {
    exporters = [...new Set(named.toLowerCase().split(',').map((s) => s.trim()).filter(Boolean))];
    const unknown = exporters.filter((e) => !EXPORTERS.has(e));
    if (unknown.length > 0) throw new ConfigError([`OTEL_TRACES_EXPORTER: ${unknown.join(', ')} is not otlp, console or none`]);
    if (exporters.includes('none')) return undefined;
  } else {
    exporters = keys.tracingProvider ? ['otlp'] : [];
  }
  if (exporters.length === 0) return undefined;

  const protocolVariable = set('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = set(protocolVariable) ?? 'http/protobuf';
  if (exporters.includes('otlp') && protocol !== 'http/protobuf' && protocol !== 'http/json') {
    throw new ConfigError([`${protocolVariable}: ${protocol} is not supported; use http/protobuf or http/json (the collector's port 4318)`]);
  }

  const endpointSet = set('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') ?? set('OTEL_EXPORTER_OTLP_ENDPOINT');
  const headersSet = set('OTEL_EXPORTER_OTLP_TRACES_HEADERS') ?? set('OTEL_EXPORTER_OTLP_HEADERS');
  const samplerSet = set('OTEL_TRACES_SAMPLER');
  return {
    exporters: exporters as TraceExporterName[],
    protocol: protocol as OtlpProtocol,
    serviceName: keys.tracingServiceName,
    deploymentEnvironment: keys.tracingDeploymentEnvironment || undefined,
    url: endpointSet || !keys.tracingProvidersOtlpServerUrl ? undefined : otlpTracesUrl(keys.tracingProvidersOtlpServerUrl, keys.tracingProvidersOtlpInsecure),
    authorization: headersSet ? undefined : keys.tracingProvidersOtlpAuthorizationHeader || undefined,
    samplingRatio: samplerSet ? undefined : keys.tracingProvidersOtlpSamplingSamplingRatio,
  };
}

/**
 * Hydra's `server_url` is `host:port`, the scheme following `insecure`; OTLP over HTTP posts traces to
 * `/v1/traces` there. A full URL is taken as the collector's base, as OTEL_EXPORTER_OTLP_ENDPOINT is.
 */
export function otlpTracesUrl(serverUrl: string, insecure: boolean): string {
  const base = /^https?:\/\//i.test(serverUrl) ? serverUrl : `${insecure ? 'http' : 'https'}://${serverUrl}`;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}
