import { escapeHtml } from './html';

/**
 * OIDC Front-Channel Logout 1.0 §2: the clients' logout pages load in hidden iframes, then the browser
 * moves on to the post-logout URI (after the frames loaded, or after three seconds at the latest).
 */
export function renderFrontchannelLogout(frontchannelUris: string[], next: string): string {
  const frames = frontchannelUris.map((uri) => `<iframe src="${escapeHtml(uri)}" hidden></iframe>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Signing out</title>
<meta http-equiv="refresh" content="3;url=${escapeHtml(next)}">
</head><body>
<p>Signing you out… <a href="${escapeHtml(next)}">Continue</a></p>
${frames}
</body></html>`;
}
