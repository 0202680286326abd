import { adminApi } from './admin-api';
import { registerDemoClient } from './demo-client';
import { startExampleApp } from './example.server';

/**
 * `node dist/apps/example/src/main.js`: the example app on its own (`npm start` runs it beside Hydrant).
 * It works against Ory Hydra too. Environment: HYDRANT_ADMIN_URL (default http://127.0.0.1:4445),
 * HYDRANT_ADMIN_API_KEY, EXAMPLE_HOST (127.0.0.1) and EXAMPLE_PORT (3000, where Hydrant's URLS_LOGIN
 * and its siblings point by default).
 */
async function main(): Promise<void> {
  const adminUrl = process.env.HYDRANT_ADMIN_URL ?? 'http://127.0.0.1:4445';
  const adminApiKey = process.env.HYDRANT_ADMIN_API_KEY || undefined;
  const outcome = await registerDemoClient(adminApi({ adminUrl, adminApiKey }));
  console.log(outcome === 'created' ? 'example app: registered the demo client hydrant-demo' : 'example app: the demo client hydrant-demo exists');

  const server = await startExampleApp({
    adminUrl,
    adminApiKey,
    host: process.env.EXAMPLE_HOST ?? '127.0.0.1',
    port: Number(process.env.EXAMPLE_PORT ?? 3000),
  });
  console.log(`example app: login, consent and logout pages at ${server.url}`);

  // `npm start` forwards its signals while a terminal's Ctrl-C also arrives directly: stop once.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error('example app: failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
