import { Errors } from '../errors';

/**
 * Whether a client's registered scope allows a requested one (STRATEGIES_SCOPE). `exact` needs the same
 * string; `wildcard` is Hydra's strategy, where a `*` segment of a dot-separated pattern matches any one
 * segment, and a trailing `*` matches the rest (`photos.*` allows `photos.read` and `photos.read.own`).
 */
export type ScopeStrategyName = 'exact' | 'wildcard';

export function scopeAllowed(allowed: readonly string[], requested: string, strategy: ScopeStrategyName): boolean {
  if (allowed.includes(requested)) return true;
  if (strategy === 'exact') return false;
  const needle = requested.split('.');
  return allowed.some((pattern) => wildcardMatches(pattern.split('.'), needle));
}

function wildcardMatches(pattern: string[], needle: string[]): boolean {
  if (pattern.length > needle.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const last = i === pattern.length - 1;
    if (pattern[i] === '*') {
      if (needle[i] === '') return false;
      if (last) return true; // a trailing wildcard takes the rest
      continue;
    }
    if (pattern[i] !== needle[i]) return false;
  }
  return pattern.length === needle.length;
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export function isScopeToken(value: string): boolean {
  return /^[\x21\x23-\x5B\x5D-\x7E]+$/.test(value);
}

/**
 * A scope given in a JSON body, as a space-separated string or an array of scope tokens (the admin API
 * accepts both); every token must be well-formed. `field` names it in the error.
 */
export function scopeFromJson(value: unknown, field: string): string[] {
  const tokens = typeof value === 'string' ? parseScope(value) : Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...new Set(value as string[])] : null;
  if (tokens === null) throw Errors.invalidRequest().withHint(`Field "${field}" must be a space-separated string or an array of strings.`);
  const bad = tokens.find((t) => !isScopeToken(t));
  if (bad !== undefined) throw Errors.invalidRequest().withHint(`Field "${field}" holds "${bad}", which is not a valid scope token.`);
  return tokens;
}

/** RFC 6749 §3.3: the scope parameter, split on spaces, without duplicates. */
export function parseScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter((s) => s.length > 0))];
}

/**
 * Hydra's audience matching: a requested audience is allowed when it equals an allowed one, or when both
 * are URLs and the requested one lies beneath the allowed one (same origin, path below). A value holding
 * a control character or a space is never a URL beneath another: WHATWG URL parsing silently drops tabs,
 * newlines and NUL, so `https://api.exa\tmple.com` would otherwise pass as `https://api.example.com` and be
 * issued as it was sent (Go's URL parser, in Hydra, refuses such values).
 */
export function audienceAllowed(allowed: readonly string[], requested: string): boolean {
  if (allowed.includes(requested)) return true;
  if (/[\u0000-\u0020\u007f]/.test(requested)) return false;
  let target: URL;
  try {
    target = new URL(requested);
  } catch {
    return false;
  }
  return allowed.some((a) => {
    try {
      const base = new URL(a);
      const basePath = base.pathname.replace(/\/?$/, '/');
      return base.origin === target.origin && (target.pathname === base.pathname || target.pathname.startsWith(basePath));
    } catch {
      return false;
    }
  });
}
