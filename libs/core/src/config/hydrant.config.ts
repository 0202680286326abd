import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { IsTrustProxy, TrustProxy } from './trust-proxy';

/**
 * Hydrant's configuration, typed and validated once at boot (see config.loader.ts), then handed around
 * read-only. Property names are the keys of config.keys.ts in lower camel case (`URLS_SELF_ISSUER` is
 * `urlsSelfIssuer`); durations are milliseconds.
 */
export class HydrantConfig {
  @Matches(/^(memory|sqlite:\/\/.+|postgres(ql)?:\/\/.+)$/, {
    message: 'must be "memory", "sqlite://PATH" or "postgres://USER:PASS@HOST:PORT/DB"',
  })
  dsn: string;
  @IsBoolean() dbMigrateOnStart: boolean;
  @IsInt() @Min(0) dbBusyTimeout: number;
  @IsInt() @Min(2) @Max(1000) dbPoolSize: number;

  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsSelfIssuer: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsLogin: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsConsent: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsLogout: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsError: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsPostLogoutRedirect: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsDeviceVerification: string;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) urlsDeviceSuccess: string;

  /** Empty until the runtime fills it from the database (generated on first start). */
  @MinLength(16, { each: true, message: 'each secret must be at least 16 characters long' }) secretsSystem: string[];
  @MinLength(16, { each: true, message: 'each secret must be at least 16 characters long' }) secretsCookie: string[];

  @IsInt() @Min(0) @Max(65535) servePublicPort: number;
  @IsString() servePublicHost: string;
  @IsInt() @Min(0) @Max(65535) serveAdminPort: number;
  @IsString() serveAdminHost: string;
  @MinLength(16, { each: true, message: 'each admin API key must be at least 16 characters long' }) serveAdminApiKeys: string[];
  @IsBoolean() serveAdminDocsEnabled: boolean;
  @IsBoolean() servePublicCorsEnabled: boolean;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { each: true }) servePublicCorsAllowedOrigins: string[];
  @IsInt() @Min(1024) serveRequestBodyLimit: number;
  @IsTrustProxy() serveTrustProxy: TrustProxy;

  @IsIn(['opaque', 'jwt']) strategiesAccessToken: 'opaque' | 'jwt';
  @IsIn(['exact', 'wildcard']) strategiesScope: 'exact' | 'wildcard';

  @IsInt() @Min(1000) ttlAccessToken: number;
  @IsInt() @Min(1000) ttlRefreshToken: number;
  @IsInt() @Min(1000) ttlIdToken: number;
  @IsInt() @Min(1000) ttlAuthCode: number;
  @IsInt() @Min(1000) ttlLoginConsentRequest: number;
  @IsInt() @Min(1000) ttlDeviceUserCode: number;
  @IsInt() @Min(1000) ttlPersonalAccessToken: number;

  @IsBoolean() oauth2PkceEnforced: boolean;
  @IsBoolean() oauth2PkceEnforcedForPublicClients: boolean;
  @IsInt() @Min(0) oauth2RefreshTokenRotationGracePeriod: number;
  @IsInt() @Min(0) @Max(100) oauth2ClientSecretRotationKeep: number;
  @IsBoolean() oauth2GrantJwtJtiOptional: boolean;
  @IsBoolean() oauth2GrantJwtIatOptional: boolean;
  @IsInt() @Min(1000) oauth2GrantJwtMaxTtl: number;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) oauth2TokenHook?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }) oauth2TokenHookUrl?: string;
  @IsOptional() @IsIn(['api_key']) oauth2TokenHookAuthType?: 'api_key';
  @IsIn(['header', 'cookie']) oauth2TokenHookAuthConfigIn: 'header' | 'cookie';
  @IsOptional() @IsString() oauth2TokenHookAuthConfigName?: string;
  @IsOptional() @IsString() oauth2TokenHookAuthConfigValue?: string;
  @IsInt() @Min(100) oauth2TokenHookTimeout: number;
  @IsInt() @Min(0) @Max(5) oauth2TokenHookRetries: number;
  @IsInt() @Min(1000) oauth2DeviceAuthorizationTokenPollingInterval: number;
  @IsIn(['high', 'medium', 'low']) oauth2DeviceAuthorizationUserCodeEntropyPreset: 'high' | 'medium' | 'low';

  @IsBoolean() oidcDynamicClientRegistrationEnabled: boolean;
  @IsInt() @Min(0) oidcDynamicClientRegistrationRateLimit: number;
  @IsInt() @Min(1000) oidcDynamicClientRegistrationRateLimitWindow: number;
  @IsString({ each: true }) oidcDynamicClientRegistrationDefaultScope: string[];
  @IsString({ each: true }) oidcDynamicClientRegistrationAllowedScope: string[];
  @IsString({ each: true }) oidcDynamicClientRegistrationAllowedGrantTypes: string[];
  @IsString({ each: true }) oidcDynamicClientRegistrationAllowedAudience: string[];
  @ArrayNotEmpty() @IsIn(['public', 'pairwise'], { each: true }) oidcSubjectIdentifiersSupportedTypes: string[];
  @IsString() oidcSubjectIdentifiersPairwiseSalt: string;

  @IsInt() @Min(0) oauth2ClientAuthenticationFailureLimit: number;
  @IsInt() @Min(1000) oauth2ClientAuthenticationFailureWindow: number;

  /** Filled by the loader when unset: on when dynamic registration is enabled. */
  @IsBoolean() clientsHttpDisallowPrivateIpRanges: boolean;
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { each: true }) clientsHttpPrivateIpExceptionUrls: string[];
  @IsInt() @Min(100) clientsHttpTimeout: number;
  @IsInt() @Min(0) janitorInterval: number;

  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal']) logLevel: string;
  @IsIn(['json', 'text']) logFormat: 'json' | 'text';
  @IsBoolean() logLeakSensitiveValues: boolean;

  @IsOptional() @IsIn(['otel', 'otlp'], { message: 'must be otel (or otlp): Hydrant exports OTLP, which Jaeger and the OpenTelemetry Collector accept' })
  tracingProvider?: 'otel' | 'otlp';
  @IsString() @MinLength(1) tracingServiceName: string;
  @IsOptional() @IsString() tracingDeploymentEnvironment?: string;
  @IsOptional() @Matches(/^(https?:\/\/)?[^\s/?#@]+(\/[^\s?#]*)?$/, { message: 'must be host:port, or an http(s) URL without a query' })
  tracingProvidersOtlpServerUrl?: string;
  @IsBoolean() tracingProvidersOtlpInsecure: boolean;
  @IsNumber() @Min(0) @Max(1) tracingProvidersOtlpSamplingSamplingRatio: number;
  @IsOptional() @IsString() tracingProvidersOtlpAuthorizationHeader?: string;

  /** Set by `--dev`: allows a plain-http issuer on a non-loopback host. Not a configuration key. */
  dev = false;
}
