#!/usr/bin/env node
// `npm run demo`: a relying party signing a user in at Hydrant with openid-client, the way a web app
// would: discovery, the authorization code flow with PKCE (S256), state and nonce, the code exchange (which
// validates the ID token), userinfo and one refresh. It prints the authorization URL to open in a browser,
// receives the browser at http://127.0.0.1:5555/callback, shows the outcome there and on the console, and
// exits. `npm run demo -- --auto` plays the browser itself: it follows the redirects with a cookie jar and
// fills the example app's login (alice) and consent forms, so one command shows a whole sign-in.
// Needs `npm start` running: Hydrant on :4444/:4445 and the example app on :3000, which registers the
// client used here.
import http from 'node:http';
import * as client from 'openid-client';
import { playBrowser } from './demo/auto-browser.mjs';
import { describeError, printOutcome, renderOutcomePage, signIn } from './demo/outcome.mjs';

const ISSUER = process.env.HYDRANT_ISSUER || 'http://127.0.0.1:4444/';
/** The example app registers this client (apps/example/src/demo-client.ts holds its metadata). */
const CLIENT_ID = 'hydrant-demo';
const PORT = 5555;
const REDIRECT_URI = `http://127.0.0.1:${PORT}/callback`;
const SCOPE = 'openid offline_access profile email';

async function discover() {
  try {
    // Plain http is fine for a loopback demo; openid-client refuses it unless told.
    return await client.discovery(new URL(ISSUER), CLIENT_ID, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  } catch (e) {
    // eslint-disable-next-line preserve-caught-error -- the message holds describeError(e); with a cause, describeError would print it twice
    throw new Error(`cannot read ${ISSUER}.well-known/openid-configuration (${describeError(e)}). Is \`npm start\` running?`);
  }
}

/** The client's own logo, shown on the consent page (the demo client's logo_uri points here). */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><rect width="48" height="48" rx="10" fill="#3b5bdb"/>
<path d="M24 9c5 7 10 12 10 19a10 10 0 0 1-20 0c0-7 5-12 10-19z" fill="#fff"/></svg>`;

/**
 * Serves the callback (and the logo) until the browser comes back, then answers with the outcome of
 * `redeem(callbackUrl)` as a page; resolves with that outcome.
 */
function receiveCallback(redeem) {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, REDIRECT_URI);
      if (url.pathname === '/logo.svg') return res.writeHead(200, { 'Content-Type': 'image/svg+xml' }).end(LOGO);
      if (url.pathname !== '/callback') return res.writeHead(404).end();
      redeem(url).then((outcome) => {
        // Close the browser's kept-alive connection too, or it would hold the process open for seconds.
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(renderOutcomePage(outcome), () => {
          server.close();
          server.closeAllConnections();
        });
        resolve(outcome);
      }, reject);
    });
    server.once('error', reject).listen(PORT, '127.0.0.1');
  });
}

async function main() {
  const config = await discover();
  const checks = { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: client.randomState(), expectedNonce: client.randomNonce() };
  const authorizationUrl = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state: checks.expectedState,
    nonce: checks.expectedNonce,
    code_challenge: await client.calculatePKCECodeChallenge(checks.pkceCodeVerifier),
    code_challenge_method: 'S256',
  });
  const redeem = async (callbackUrl) => {
    const outcome = await signIn(config, callbackUrl, checks);
    printOutcome(outcome);
    return outcome;
  };

  let outcome;
  if (process.argv.includes('--auto')) {
    outcome = await redeem(await playBrowser(authorizationUrl, REDIRECT_URI));
  } else {
    const callback = receiveCallback(redeem);
    console.log(`Open this URL in a browser and sign in as alice / wonderland:\n\n  ${authorizationUrl.href}\n`);
    outcome = await callback;
  }
  process.exitCode = outcome.error ? 1 : 0;
}

main().catch((e) => {
  console.error(`demo: ${describeError(e)}`);
  process.exitCode = 1;
});
