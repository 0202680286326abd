import net from 'node:net';
import path from 'node:path';

/** Where the built command line lives; specs that run it as a child process need `npm run build` first. */
export const ROOT = path.resolve(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'hydrant.js');
export const BUILT_MAIN = path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js');

/** The environment of a child: this one's, minus any Hydrant configuration key (or OpenTelemetry variable) it happens to carry. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(DSN|DB_|URLS_|SECRETS_|SERVE_|STRATEGIES_|TTL_|OAUTH2_|OIDC_|LOG_|TRACING_|OTEL_|TEST_DSN$|HYDRANT_)/.test(key)) continue;
    base[key] = value;
  }
  return { ...base, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env };
}

/** An ephemeral port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
