import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { Command, InvalidArgumentError } from 'commander';
import { CliError } from '../../remote/cli.error';
import { commaList, remote, RemoteFlags, withRemoteFlags } from '../../remote/remote.options';
import { basicAuthorization, clientIdAndSecret, ClientCredentialFlags, withClientCredentialFlags } from './client-credential.flags';
import { printTokens, TokenAnswer } from './token.output';

interface AuthorizationCodeFlags extends RemoteFlags, ClientCredentialFlags {
  scope: string[];
  audience?: string[];
  port: number;
  redirect?: string;
  open: boolean;
  shutdown: boolean;
  prompt?: string[];
  maxAge?: number;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('must be a port number');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of seconds');
  return n;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Opens the URL in the desktop's browser; without one, the printed URL is the way in. */
function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(opener, [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  } catch {
    // no browser here
  }
}

/**
 * `hydrant perform authorization-code`: the code flow with PKCE (S256), state and nonce, as a relying party
 * on this machine. A local server offers the authorization link at / and receives the callback, redeems
 * the code, prints the tokens and stops (unless --no-shutdown).
 */
export function performAuthorizationCodeCommand(): Command {
  const command = new Command('authorization-code')
    .description('sign in through the browser with the authorization code flow (PKCE) and print the tokens')
    .option('--scope <scope>', 'scopes to request (repeatable or comma separated)', commaList)
    .option('--audience <audience>', 'audiences to request', commaList)
    .option('--port <port>', 'port of the local callback server', port, 4446)
    .option('--redirect <url>', 'the redirect URI to use (default: http://127.0.0.1:PORT/callback)')
    .option('--no-open', 'do not open a browser; print the URL to visit')
    .option('--no-shutdown', 'keep the local server running after the first callback')
    .option('--prompt <prompt>', 'the prompt parameter: none, login, consent, select_account', commaList)
    .option('--max-age <seconds>', 'the max_age parameter', nonNegative)
    .action((flags: AuthorizationCodeFlags) => authorizationCode(flags));
  return withRemoteFlags(withClientCredentialFlags(command, false), 'public');
}

function authorizationCode(flags: AuthorizationCodeFlags): Promise<void> {
  const client = clientIdAndSecret(flags, false);
  const { api, output } = remote(flags);
  const redirect = new URL(flags.redirect ?? `http://127.0.0.1:${flags.port}/callback`);
  const home = `http://127.0.0.1:${flags.port}/`;
  const scope = flags.scope ?? ['offline_access', 'openid'];

  let state = '';
  let verifier = '';
  const authorizationUrl = () => {
    state = randomBytes(24).toString('base64url');
    verifier = randomBytes(32).toString('base64url');
    return api.url('/oauth2/auth', {
      client_id: client.id,
      redirect_uri: redirect.href,
      response_type: 'code',
      scope: scope.join(' '),
      state,
      nonce: randomBytes(24).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      audience: flags.audience?.join(' '),
      prompt: flags.prompt?.join(' '),
      max_age: flags.maxAge === undefined ? undefined : String(flags.maxAge),
    }).href;
  };

  const redeem = async (code: string): Promise<TokenAnswer> => {
    const form = { grant_type: 'authorization_code', code, redirect_uri: redirect.href, code_verifier: verifier, client_id: client.secret ? undefined : client.id };
    const headers: Record<string, string> = client.secret ? { Authorization: basicAuthorization(client.id, client.secret) } : {};
    return (await api.request({ method: 'POST', path: '/oauth2/token', form, headers })).body as TokenAnswer;
  };

  return new Promise<void>((resolve, reject) => {
    const finish = (error?: Error) => {
      if (flags.shutdown) server.close(() => (error ? reject(error) : resolve()));
      else if (error) process.stderr.write(`${error.message}\n`);
    };
    const server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', home);
      const send = (status: number, html: string) => res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(html);
      if (url.pathname === '/') return send(200, page('Hydrant: authorization code flow', `<p><a href="${escapeHtml(authorizationUrl())}">Authorize application</a></p>`));
      if (url.pathname !== redirect.pathname) return send(404, page('Not found', ''));
      const error = url.searchParams.get('error');
      if (error) {
        const reason = `the authorization server answered ${error}: ${url.searchParams.get('error_description') ?? ''}`.trim();
        send(400, page('Authorization failed', `<p>${escapeHtml(reason)}</p>`));
        return finish(new CliError(reason));
      }
      if (!state || url.searchParams.get('state') !== state) {
        send(400, page('Authorization failed', '<p>The state does not match: start again at the home page.</p>'));
        return finish(new CliError('the callback carried a state this command did not send'));
      }
      const code = url.searchParams.get('code') ?? '';
      state = '';
      redeem(code).then(
        (tokens) => {
          printTokens(output, tokens);
          send(200, page('Signed in', `<p>The tokens are printed in your terminal.</p><pre>${escapeHtml(JSON.stringify({ scope: tokens.scope, token_type: tokens.token_type }, null, 2))}</pre>`));
          finish();
        },
        (e: Error) => {
          send(502, page('Authorization failed', `<p>${escapeHtml(e.message)}</p>`));
          finish(e);
        },
      );
    });
    server.on('error', (e: NodeJS.ErrnoException) => reject(new CliError(`cannot listen on port ${flags.port}: ${e.code ?? e.message}`)));
    server.listen(flags.port, '127.0.0.1', () => {
      process.stderr.write(`Listening for the callback on ${redirect.href}\nOpen ${home} in a browser to sign in${flags.open ? ' (opening it now)' : ''}.\n`);
      if (flags.open) openBrowser(home);
    });
  });
}
