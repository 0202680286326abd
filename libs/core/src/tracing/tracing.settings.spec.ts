import { ConfigError, loadConfig } from '../config/config.loader';
import { otlpTracesUrl, tracingSettings } from './tracing.settings';

/** The tracing keys as the loader makes them from `env` (defaults included). */
const keysOf = (env: Record<string, string> = {}) => loadConfig({ env });

describe('tracingSettings', () => {
  it('is off by default, with no key and no OTEL_ variable', () => {
    expect(tracingSettings(keysOf(), {})).toBeUndefined();
  });

  it.each([
    ['none', { OTEL_TRACES_EXPORTER: 'none' }],
    ['none among others', { OTEL_TRACES_EXPORTER: 'otlp,none' }],
    ['blank', { OTEL_TRACES_EXPORTER: ' ' }],
    ['disabled SDK', { OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }],
  ])('is off with OTEL_TRACES_EXPORTER %s', (_what, env) => {
    expect(tracingSettings(keysOf(), env)).toBeUndefined();
  });

  it('is on with OTEL_TRACES_EXPORTER=otlp, over http/protobuf unless told otherwise, named hydrant', () => {
    expect(tracingSettings(keysOf(), { OTEL_TRACES_EXPORTER: 'otlp' })).toEqual({
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      serviceName: 'hydrant',
      deploymentEnvironment: undefined,
      url: undefined,
      authorization: undefined,
      samplingRatio: 1,
    });
  });

  it('takes http/json from the traces protocol variable first, then the general one', () => {
    expect(tracingSettings(keysOf(), { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })?.protocol).toBe('http/json');
    const both = { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' };
    expect(tracingSettings(keysOf(), both)?.protocol).toBe('http/protobuf');
  });

  it('refuses gRPC and unknown exporters, naming the variable', () => {
    expect(() => tracingSettings(keysOf(), { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: grpc is not supported/,
    );
    expect(() => tracingSettings(keysOf(), { OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(ConfigError);
    expect(() => tracingSettings(keysOf(), { OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER: zipkin is not otlp, console or none/);
  });

  it('takes console, and both at once', () => {
    expect(tracingSettings(keysOf(), { OTEL_TRACES_EXPORTER: 'console' })?.exporters).toEqual(['console']);
    expect(tracingSettings(keysOf(), { OTEL_TRACES_EXPORTER: 'otlp, console' })?.exporters).toEqual(['otlp', 'console']);
  });

  describe("Hydra's tracing keys", () => {
    const hydra = {
      TRACING_PROVIDER: 'otel',
      TRACING_SERVICE_NAME: 'auth',
      TRACING_DEPLOYMENT_ENVIRONMENT: 'staging',
      TRACING_PROVIDERS_OTLP_SERVER_URL: 'collector:4318',
      TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO: '0.25',
      TRACING_PROVIDERS_OTLP_AUTHORIZATION_HEADER: 'Bearer collector-key',
    };

    it('turn tracing on with OTLP, over https unless insecure', () => {
      expect(tracingSettings(keysOf(hydra), {})).toEqual({
        exporters: ['otlp'],
        protocol: 'http/protobuf',
        serviceName: 'auth',
        deploymentEnvironment: 'staging',
        url: 'https://collector:4318/v1/traces',
        authorization: 'Bearer collector-key',
        samplingRatio: 0.25,
      });
      expect(tracingSettings(keysOf({ ...hydra, TRACING_PROVIDERS_OTLP_INSECURE: 'true' }), {})?.url).toBe('http://collector:4318/v1/traces');
      expect(tracingSettings(keysOf({ ...hydra, TRACING_PROVIDER: 'otlp' }), {})?.exporters).toEqual(['otlp']);
    });

    it('give way to the OTEL_ variables that say the same', () => {
      const settings = tracingSettings(keysOf(hydra), {
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/v1/traces',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer other',
        OTEL_TRACES_SAMPLER: 'always_on',
      });
      expect(settings).toMatchObject({ url: undefined, authorization: undefined, samplingRatio: undefined });
      expect(tracingSettings(keysOf(hydra), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://other:4318' })?.url).toBeUndefined();
      expect(tracingSettings(keysOf(hydra), { OTEL_TRACES_EXPORTER: 'none' })).toBeUndefined();
      expect(tracingSettings(keysOf(hydra), { OTEL_TRACES_EXPORTER: 'console' })?.exporters).toEqual(['console']);
    });

    it('refuse providers other than OTLP at load time, naming the key', () => {
      for (const provider of ['jaeger', 'zipkin', 'datadog']) {
        expect(() => keysOf({ TRACING_PROVIDER: provider })).toThrow(/TRACING_PROVIDER: must be otel \(or otlp\)/);
      }
    });

    it('refuse a ratio outside 0..1 and a server URL with a query', () => {
      expect(() => keysOf({ TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO: '1.5' })).toThrow(/TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO/);
      expect(() => keysOf({ TRACING_PROVIDERS_OTLP_SAMPLING_SAMPLING_RATIO: 'half' })).toThrow(/"half" is not a number/);
      expect(() => keysOf({ TRACING_PROVIDERS_OTLP_SERVER_URL: 'collector:4318/?key=1' })).toThrow(/TRACING_PROVIDERS_OTLP_SERVER_URL: must be host:port/);
    });
  });

  it('builds the traces URL from host:port or from a base URL', () => {
    expect(otlpTracesUrl('collector:4318', false)).toBe('https://collector:4318/v1/traces');
    expect(otlpTracesUrl('collector:4318', true)).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/', false)).toBe('http://collector:4318/v1/traces');
  });
});
