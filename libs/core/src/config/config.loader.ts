import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse as parseYaml } from 'yaml';
import { CONFIG_KEYS, ConfigKeyDefinition } from './config.keys';
import { parseDuration } from './duration';
import { HydrantConfig } from './hydrant.config';
import { parseTrustProxy } from './trust-proxy';

/** A configuration that cannot be used; the message names the key and the reason. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Path of a YAML or JSON file holding the same keys nested (`urls.self.issuer`). */
  file?: string;
  dev?: boolean;
}

/** `URLS_SELF_ISSUER` -> `urlsSelfIssuer`. */
export function propertyOf(key: string): keyof HydrantConfig {
  return key.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) as keyof HydrantConfig;
}

/** Flattens `{urls: {self: {issuer: x}}}` to `{URLS_SELF_ISSUER: x}`; arrays become comma lists. */
export function flattenConfigFile(tree: unknown, prefix = ''): Record<string, string> {
  const flat: Record<string, string> = {};
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return flat;
  for (const [name, value] of Object.entries(tree as Record<string, unknown>)) {
    const key = (prefix ? `${prefix}_${name}` : name).toUpperCase().replace(/[.-]/g, '_');
    if (Array.isArray(value)) flat[key] = value.map(String).join(',');
    else if (value !== null && typeof value === 'object') Object.assign(flat, flattenConfigFile(value, key));
    else if (value !== null && value !== undefined) flat[key] = String(value);
  }
  return flat;
}

export function readConfigFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`--config: cannot read ${path}: ${(e as Error).message}`]);
  }
  try {
    return flattenConfigFile(parseYaml(text)); // YAML is a superset of JSON
  } catch (e) {
    throw new ConfigError([`--config: ${path} is neither YAML nor JSON: ${(e as Error).message}`]);
  }
}

function parseValue(def: ConfigKeyDefinition, raw: string): unknown {
  switch (def.kind) {
    case 'integer':
      if (!/^-?\d+$/.test(raw.trim())) throw new Error(`"${raw}" is not a whole number`);
      return Number(raw);
    case 'number':
      if (!/^(\d+\.?\d*|\.\d+)$/.test(raw.trim())) throw new Error(`"${raw}" is not a number`);
      return Number(raw);
    case 'boolean':
      if (!/^(true|false|1|0)$/i.test(raw.trim())) throw new Error(`"${raw}" is not true or false`);
      return /^(true|1)$/i.test(raw.trim());
    case 'duration':
      return parseDuration(raw);
    case 'trust-proxy':
      return parseTrustProxy(raw);
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    default:
      return raw.trim();
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Builds the configuration from (lowest to highest precedence) the documented defaults, the `--config`
 * file and the environment, then validates it. Throws ConfigError naming every bad key.
 */
export function loadConfig(options: LoadConfigOptions = {}): HydrantConfig {
  const env = options.env ?? process.env;
  const fromFile = options.file ? readConfigFile(options.file) : {};
  const problems: string[] = [];
  /** Keys with a problem already, so that each bad key is named once and every bad key in one go. */
  const reported = new Set<string>();
  const values: Record<string, unknown> = {};

  for (const def of CONFIG_KEYS as readonly ConfigKeyDefinition[]) {
    const raw = env[def.key] ?? fromFile[def.key] ?? def.default;
    if (raw === undefined) {
      values[propertyOf(def.key)] = def.kind === 'list' ? [] : undefined;
      continue;
    }
    try {
      values[propertyOf(def.key)] = parseValue(def, raw);
    } catch (e) {
      problems.push(`${def.key}: ${(e as Error).message}`);
      reported.add(def.key);
    }
  }

  const config = plainToInstance(HydrantConfig, values);
  config.dev = options.dev ?? false;
  // Defaults that follow another key: an open registration endpoint means strangers choose the URLs
  // Hydrant calls, and what they may register starts from what they are given anyway.
  config.clientsHttpDisallowPrivateIpRanges ??= config.oidcDynamicClientRegistrationEnabled;
  if (config.oidcDynamicClientRegistrationAllowedScope.length === 0) {
    config.oidcDynamicClientRegistrationAllowedScope = config.oidcDynamicClientRegistrationDefaultScope;
  }

  const keyOf = new Map(CONFIG_KEYS.map((d) => [propertyOf(d.key) as string, d.key]));
  for (const error of validateSync(config)) {
    const key = keyOf.get(error.property) ?? error.property;
    if (reported.has(key)) continue; // its value could not be parsed, which is reported already
    const reasons = Object.values(error.constraints ?? {}).map((m) => m.replace(`${error.property} `, ''));
    problems.push(`${key}: ${reasons.join('; ')}`);
    reported.add(key);
  }
  if (!reported.has('URLS_SELF_ISSUER')) {
    const issuer = new URL(config.urlsSelfIssuer);
    if (issuer.protocol !== 'https:' && !config.dev && !isLoopback(issuer.hostname)) {
      problems.push('URLS_SELF_ISSUER: must use https unless --dev is given or the host is a loopback address');
    }
    if (issuer.search || issuer.hash) problems.push('URLS_SELF_ISSUER: must not have a query or a fragment');
  }
  if (
    !reported.has('OIDC_SUBJECT_IDENTIFIERS_SUPPORTED_TYPES') &&
    config.oidcSubjectIdentifiersSupportedTypes.includes('pairwise') &&
    config.oidcSubjectIdentifiersPairwiseSalt.length < 16
  ) {
    problems.push('OIDC_SUBJECT_IDENTIFIERS_PAIRWISE_SALT: must be at least 16 characters when pairwise subjects are supported');
  }
  if (config.oauth2TokenHookAuthType === 'api_key' && (!config.oauth2TokenHookAuthConfigName || config.oauth2TokenHookAuthConfigValue === undefined)) {
    problems.push('OAUTH2_TOKEN_HOOK_AUTH_CONFIG_NAME: an api_key token hook needs the name and the value of its key');
  }
  if (config.oauth2TokenHook && config.oauth2TokenHookUrl && config.oauth2TokenHook !== config.oauth2TokenHookUrl) {
    problems.push('OAUTH2_TOKEN_HOOK_URL: set either OAUTH2_TOKEN_HOOK or OAUTH2_TOKEN_HOOK_URL, not two different URLs');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  // Defaulted after validation, so that a short SECRETS_SYSTEM entry is named once, under the key the operator set.
  if (config.secretsCookie.length === 0) config.secretsCookie = config.secretsSystem;
  return config;
}
