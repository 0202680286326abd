// The relying party's half of the demo once the browser is back: exchange the code, read the user, refresh,
// and report what happened, on the console and as a page. Tokens are bearer credentials, so only their
// first characters are ever shown.
import * as client from 'openid-client';

/** Enough of a token to recognise its kind (`hy_at_`, `hy_rt_`) and tell two apart, never enough to use it. */
function tokenPrefix(token) {
  return token ? `${token.slice(0, 12)}…` : undefined;
}

/** A readable cause, with the OAuth error code when the server or the redirect carried one. */
export function describeError(e) {
  if (e instanceof client.AuthorizationResponseError || e instanceof client.ResponseBodyError) {
    return [e.error, e.error_description].filter(Boolean).join(': ');
  }
  if (e instanceof Error) return e.cause instanceof Error ? `${e.message} (${e.cause.message})` : e.message;
  return String(e);
}

/**
 * Finishes the sign-in at the callback URL. openid-client checks state, iss and the PKCE verifier, and
 * validates the ID token (signature from jwks_uri, iss, aud, exp, nonce) before anything is used.
 */
export async function signIn(config, callbackUrl, checks) {
  try {
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, checks);
    const claims = tokens.claims();
    // Userinfo needs the `openid` scope, which the user may have unticked on the consent page.
    const userinfo = claims ? await client.fetchUserInfo(config, tokens.access_token, claims.sub) : undefined;
    const refreshed = tokens.refresh_token ? await client.refreshTokenGrant(config, tokens.refresh_token) : undefined;
    return {
      scope: tokens.scope,
      accessToken: tokenPrefix(tokens.access_token),
      expiresIn: tokens.expiresIn(),
      refreshToken: tokenPrefix(tokens.refresh_token),
      idTokenClaims: claims,
      userinfo,
      refreshed: refreshed && {
        scope: refreshed.scope,
        accessToken: tokenPrefix(refreshed.access_token),
        expiresIn: refreshed.expiresIn(),
        refreshToken: tokenPrefix(refreshed.refresh_token),
      },
    };
  } catch (e) {
    return { error: describeError(e) };
  }
}

/** The outcome as label/value rows; values that are objects are shown as JSON. */
function rows(outcome) {
  if (outcome.error) return [['sign-in failed', outcome.error]];
  const lines = [
    ['granted scope', outcome.scope],
    ['access token', `${outcome.accessToken} (expires in ${outcome.expiresIn} s)`],
    ['refresh token', outcome.refreshToken ?? '(none: offline_access was not granted)'],
    ['ID token claims', outcome.idTokenClaims ?? '(no ID token: openid was not granted)'],
  ];
  if (outcome.userinfo) lines.push(['userinfo', outcome.userinfo]);
  if (outcome.refreshed) {
    const { accessToken, expiresIn, refreshToken, scope } = outcome.refreshed;
    lines.push(['after one refresh', `access token ${accessToken} (expires in ${expiresIn} s), scope "${scope}", new refresh token ${refreshToken}`]);
  }
  return lines;
}

const text = (value) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

export function printOutcome(outcome) {
  console.log(outcome.error ? '\nThe sign-in did not succeed.' : '\nSigned in.');
  for (const [label, value] of rows(outcome)) console.log(`  ${label.padEnd(20)}${text(value).replaceAll('\n', `\n  ${' '.repeat(20)}`)}`);
}

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderOutcomePage(outcome) {
  const title = outcome.error ? 'The sign-in did not succeed' : 'Signed in';
  const body = rows(outcome)
    .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd><pre>${escapeHtml(text(value))}</pre></dd>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} · Hydrant demo</title>
<style>body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1f2933}
dt{font-weight:600;margin-top:1rem}dd{margin:0}pre{background:#f0f3f6;padding:.6rem;border-radius:6px;white-space:pre-wrap}</style>
</head><body><h1>${title}</h1><dl>${body}</dl><p>The demo has ended; the console shows the same.</p></body></html>`;
}
