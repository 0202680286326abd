import { Errors, OAuth2Error } from '../errors';

/**
 * The rules every URI in client metadata follows, so that a URI is what it says: a string that a browser,
 * a log line or Hydrant's own exact-match comparison would read differently from what was registered is
 * refused, never repaired. Which schemes a field takes depends on what Hydrant or a browser does with it:
 * a redirect URI carries codes and tokens, a key set URI is fetched, an information link is only shown.
 */

export type MakeError = (hint: string) => OAuth2Error;

export const metadataError: MakeError = (hint) => Errors.invalidClientMetadata().withHint(hint);

/** Schemes that run code, read local files or have no origin: never a place to send a user with a code. */
const REFUSED_REDIRECT_SCHEMES = ['file:', 'blob:', 'data:', 'javascript:', 'vbscript:', 'about:'];

/** RFC 8252 §7.1: a private-use scheme for a native app is a reverse domain name, so it has a dot. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/;

/** Loopback hosts as WHATWG URL writes them (RFC 8252 §7.3, §8.3): localhost, 127.0.0.0/8 and [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * An absolute URI without whitespace or control characters (RFC 3986 §2) and without a user name or
 * password. WHATWG parsing drops tabs and newlines and trims spaces silently, so they are refused before
 * parsing. Userinfo makes `https://trusted.example@evil.example/` read as the wrong host (RFC 3986 §7.6)
 * and may hold a password, so no hint echoes such a URI.
 */
export function parseUri(value: string, field: string, make: MakeError = metadataError): URL {
  if (/[\u0000-\u0020\u007f]/.test(value)) throw make(`Field "${field}" must not hold URIs with whitespace or control characters.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw make(`Field "${field}" must hold absolute URIs; "${value}" is not one.`);
  }
  if (url.username !== '' || url.password !== '') {
    throw make(`Field "${field}" must not hold URIs with a user name or password before the host.`);
  }
  return url;
}

/**
 * No fragment where `fragment` is false (RFC 6749 §3.1.2), and exactly the form `new URL(u).href` gives:
 * otherwise upper-case hosts, default ports, dot segments or a missing root path would make two spellings
 * of one URI, and exact matching compares spellings.
 */
export function checkNormalized(value: string, url: URL, field: string, make: MakeError, options: { fragment: boolean }): void {
  if (!options.fragment && value.includes('#')) throw make(`Field "${field}" must not hold URIs with a fragment; "${value}" has one.`);
  if (url.href !== value) {
    throw make(`Field "${field}" holds "${value}", which is not in normalized form; register "${url.href}" instead.`);
  }
}

/**
 * RFC 6749 §3.1.2, RFC 8252 §7 and RFC 9700 §2.1: https; http only to a loopback host (a native app's
 * local listener) unless `--dev`; or a native app's private-use scheme. Refuses schemes that run code or
 * read local files, and a fragment.
 */
export function checkRedirectUri(uri: string, field: string, make: MakeError, dev: boolean): void {
  const url = parseUri(uri, field, make);
  const scheme = url.protocol;
  if (REFUSED_REDIRECT_SCHEMES.includes(scheme)) throw make(`Field "${field}" must not use the "${scheme}" scheme.`);
  if (scheme === 'http:' && !dev && !isLoopbackHost(url.hostname)) {
    throw make(
      `Field "${field}" holds "${uri}": plain http is allowed only to a loopback host (127.0.0.1, [::1] or localhost) unless Hydrant runs with --dev; use https.`,
    );
  }
  if (scheme !== 'https:' && scheme !== 'http:' && !PRIVATE_USE_SCHEME.test(scheme)) {
    throw make(
      `Field "${field}" holds "${uri}", whose scheme is not https, http to a loopback host, nor a private-use scheme in reverse domain form such as "com.example.app:" (RFC 8252 §7.1).`,
    );
  }
  checkNormalized(uri, url, field, make, { fragment: false });
}

/** A link Hydrant shows or a browser loads: http or https. Empty means unset. */
export function checkWebUrl(value: string, field: string, options: { fragment: boolean }): void {
  if (value === '') return;
  const url = parseUri(value, field);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw metadataError(`Field "${field}" must be an http or https URL; "${value}" is not.`);
  }
  checkNormalized(value, url, field, metadataError, options);
}

/** A document Hydrant fetches: https, or http to a loopback host. Empty means unset. */
export function checkHttpsUrl(value: string, field: string, options: { fragment: boolean }): void {
  if (value === '') return;
  const url = parseUri(value, field);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw metadataError(`Field "${field}" must be an https URL; "${value}" is not.`);
  }
  checkNormalized(value, url, field, metadataError, options);
}

/**
 * An origin as a browser sends it in `Origin` (RFC 6454 §6.1): scheme, host and port only, spelled as
 * the browser spells it; a trailing slash is tolerated as before, since the CORS check drops it.
 */
export function checkOrigin(origin: string): void {
  const field = 'allowed_cors_origins';
  const url = parseUri(origin, field);
  if (url.origin === 'null' || (url.origin !== origin && `${url.origin}/` !== origin)) {
    const hint = url.origin === 'null' ? '' : ` (its origin is "${url.origin}")`;
    throw metadataError(`Field "${field}" must hold origins (scheme://host[:port]) as a browser writes them; "${origin}" is not one${hint}.`);
  }
}
