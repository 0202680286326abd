import { csrfCookieName, DEVICE_CSRF_COOKIE, SESSION_COOKIE } from '../../libs/core/src/flows/flow-cookies';
import { TOKEN_PREFIXES } from '../../libs/core/src/tokens/opaque-token.codec';

/**
 * Searches log text for what Hydrant must never log (issue 14): tokens, codes, challenges and verifiers,
 * client secrets and assertions, private keys, credentials in headers, cookies and query strings, and the
 * secrets the specs configure. Rules match a secret's shape or a named field that carries one with a
 * value; a field's name alone (`"path":"/oauth2/token"`, `"authorization":"[redacted]"`) is no hit.
 */

export interface SecretRule {
  name: string;
  pattern: RegExp;
  /** A second look at a match that the pattern alone cannot decide. */
  confirm?: (match: string) => boolean;
}

export interface KnownSecret {
  value: string;
  /** Where the specs set it, for the report. */
  source: string;
}

export interface SecretHit {
  rule: string;
  offset: number;
  line: number;
  column: number;
  /** The match, cut short so that the report does not repeat the secret. */
  excerpt: string;
}

const B64URL = 'A-Za-z0-9_\\-';
/** Not preceded by a character of the alphabet, so that a shape is not found inside a longer string. */
const START = `(?<![${B64URL}])`;
/** A quote, possibly escaped once: a JSON document logged inside a JSON string. */
const Q = '\\\\?"';
/** What Hydrant writes in a secret's place: pino's censor, and redactDsn's stars. */
const REDACTED = '(?:\\[redacted\\]|\\*+)';
/** A non-empty string value that is not a censor's. */
const VALUE = `${Q}(?!${REDACTED})[^"\\\\\\s]`;

/** Hydra's prefixes besides Hydrant's own: tokens migrated from Hydra may arrive with them. */
const HYDRA_PREFIXES = ['ory_at_', 'ory_rt_', 'ory_ac_', 'ory_pat_', 'ory_dc_'];

/** Parameters whose value is a credential, wherever they appear as `name=value` (query, form, cookie). */
const CREDENTIAL_PARAMETERS = [
  'access_token', 'refresh_token', 'id_token', 'code', 'state', 'code_verifier', 'client_secret', 'client_assertion',
  'assertion', 'subject_token', 'token', 'password', 'device_code', 'user_code', 'device_challenge',
  'login_challenge', 'login_verifier', 'consent_challenge', 'consent_verifier', 'logout_challenge', 'logout_verifier',
];
/**
 * The same as JSON fields, but for `code` and `state`: an error's `"code":"SQLITE_BUSY"` and a flow's
 * `"state":"accepted"` are no credentials; their codes have a shape of their own (hy_ac_, hy_dc_).
 */
const CREDENTIAL_FIELDS = [
  ...CREDENTIAL_PARAMETERS.filter((name) => name !== 'code' && name !== 'state'),
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key',
  'secret', 'secrets', 'secretsSystem', 'secretsCookie', 'serveAdminApiKeys', 'SECRETS_SYSTEM', 'SECRETS_COOKIE', 'SERVE_ADMIN_API_KEYS',
];
const COOKIE_NAMES = [SESSION_COOKIE, DEVICE_CSRF_COOKIE, `${csrfCookieName('')}[${B64URL}]*`];

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** RFC 7617: the credentials of a Basic header are base64 of `id:secret`; "Basic authentication" is not. */
function isBasicCredential(match: string): boolean {
  const decoded = Buffer.from(match.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
  return decoded.includes(':') && /^[\x20-\x7e\u00a0-\uffff]+$/.test(decoded);
}

export function secretRules(known: readonly KnownSecret[]): SecretRule[] {
  const prefixes = [...Object.values(TOKEN_PREFIXES), ...HYDRA_PREFIXES].map(escape).join('|');
  const rules: SecretRule[] = [
    { name: 'opaque token or code', pattern: new RegExp(`(?:${prefixes})[${B64URL}.]{8,}`, 'g') },
    { name: 'JWT (JWS or JWE)', pattern: new RegExp(`${START}eyJ[${B64URL}]+\\.[${B64URL}]*\\.[${B64URL}]*`, 'g') },
    { name: 'flow challenge or verifier', pattern: new RegExp(`${START}[${B64URL}]{43}\\.[${B64URL}]{43}(?![${B64URL}])`, 'g') },
    { name: 'PEM block', pattern: /-----BEGIN [A-Z0-9 ]+-----/g },
    { name: 'private JWK member', pattern: new RegExp(`${Q}(?:d|p|q|dp|dq|qi|k)${Q}\\s*:\\s*${Q}[${B64URL}]`, 'g') },
    { name: 'Basic credentials', pattern: /(?<![A-Za-z])basic\s+[A-Za-z0-9+/]{4,}={0,2}/gi, confirm: isBasicCredential },
    { name: 'Bearer credentials', pattern: /(?<![A-Za-z])bearer\s+[A-Za-z0-9._~+/-]{16,}=*/gi },
    { name: 'credential field', pattern: new RegExp(`${Q}(?:${CREDENTIAL_FIELDS.map(escape).join('|')})${Q}\\s*:\\s*\\[?\\s*${VALUE}`, 'gi') },
    { name: 'credential parameter', pattern: new RegExp(`(?<![\\w.-])(?:${CREDENTIAL_PARAMETERS.join('|')})=(?!${REDACTED}|["&;#\\s]|$)`, 'gm') },
    { name: 'cookie header', pattern: /(?:^|\\r\\n|\\n|\r?\n)\s*(?:set-)?cookie:\s*\S/gim },
    { name: 'Hydrant cookie', pattern: new RegExp(`(?:${COOKIE_NAMES.join('|')})(?:=|${Q}\\s*:\\s*${Q})(?![;"\\\\\\s]|$)`, 'gm') },
    { name: 'password in a URL', pattern: new RegExp(`[a-z][a-z0-9+.-]*://[^/\\s:@"]*:(?!${REDACTED}@)[^@\\s"/]+@`, 'gi') },
  ];
  const seen = new Set<string>();
  for (const { value, source } of known) {
    if (seen.has(value)) continue;
    seen.add(value);
    // As configured, and as it would appear in a query or form, or inside a JSON string.
    const forms = new Set([value, encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+'), JSON.stringify(value).slice(1, -1)]);
    rules.push({ name: `known secret (${source})`, pattern: new RegExp([...forms].map(escape).join('|'), 'g') });
  }
  return rules;
}

export function scanForSecrets(text: string, rules: readonly SecretRule[]): SecretHit[] {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const hits: SecretHit[] = [];
  for (const rule of rules) {
    for (const match of text.matchAll(rule.pattern)) {
      if (rule.confirm && !rule.confirm(match[0])) continue;
      const offset = match.index;
      const line = lastAtOrBelow(lineStarts, offset);
      hits.push({ rule: rule.name, offset, line: line + 1, column: offset - lineStarts[line] + 1, excerpt: cut(match[0]) });
    }
  }
  return hits.sort((a, b) => a.offset - b.offset);
}

/** One line of the report: where, which rule, and the match's first characters. */
export function formatHit(file: string, hit: SecretHit): string {
  return `${file}:${hit.line}:${hit.column} (offset ${hit.offset}) ${hit.rule}: ${hit.excerpt}`;
}

function cut(match: string): string {
  const shown = match.length > 16 ? 12 : Math.min(6, Math.floor(match.length / 2));
  return `${match.slice(0, shown)}… (${match.length} characters)`;
}

function lastAtOrBelow(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (sorted[mid] <= value) low = mid;
    else high = mid - 1;
  }
  return low;
}
