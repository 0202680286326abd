import { Router } from 'express';
import { html, page } from './html';

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The pages that need no admin API: what this app is, URLS_POST_LOGOUT_REDIRECT and URLS_ERROR. */
export function pageRoutes(): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.send(
      page(
        'Hydrant example',
        html`<h1>Hydrant's example login and consent app</h1>
<p>Hydrant is headless: it sends browsers here to sign in (<code>/login</code>), to allow an application
access (<code>/consent</code>) and to confirm a logout (<code>/logout</code>). This app answers each page
through Hydrant's admin API with Ory Hydra's own SDK, as a Hydra login app would.</p>
<p>There is nothing to do on this page itself. To sign in, run <code>npm run demo</code> and open the URL it
prints; the demo accounts are <code>alice</code> / <code>wonderland</code> and <code>bob</code> / <code>builder</code>.</p>`,
      ),
    );
  });

  router.get('/logged-out', (_req, res) => {
    res.send(page('Signed out', html`<h1>You are signed out</h1><p>Your session at Hydrant has ended.</p>`));
  });

  router.get('/error', (req, res) => {
    const error = text(req.query.error) || 'unknown_error';
    const description = text(req.query.error_description);
    const hint = text(req.query.error_hint);
    res.send(
      page(
        'Error',
        html`<h1>Something went wrong</h1>
<p class="error" role="alert"><code>${error}</code>${description && html` ${description}`}</p>
${hint && html`<p class="muted">${hint}</p>`}
<p>Go back to the application and try again.</p>`,
      ),
    );
  });

  return router;
}
