import { ErrorRequestHandler, RequestHandler } from 'express';
import { AdminFailure, isAdminFailure } from './admin-api';
import { html, page } from './html';
import { PageError } from './page-error';

function errorPage(error: PageError): string {
  return page(error.title, html`<h1>${error.title}</h1><p>${error.explanation}</p><p class="muted">HTTP ${error.status}</p>`);
}

/** An admin API failure, explained in words a user (or the developer running the demo) can act on. */
function explainAdminFailure(e: AdminFailure, adminUrl: string): PageError {
  const status = e.response?.status;
  if (status === undefined) {
    return new PageError(502, 'Hydrant is unreachable', `The admin API at ${adminUrl} did not answer (${e.code ?? e.message}). Is Hydrant running?`);
  }
  if (status === 404) {
    return new PageError(404, 'This request has expired', 'Hydrant does not know it (any more). Go back to the application and start again.');
  }
  if (status === 401 || status === 403) {
    return new PageError(502, 'Hydrant refused this app', 'The admin API wants a valid API key (SERVE_ADMIN_API_KEYS); this app has none or a wrong one.');
  }
  const description = typeof e.response?.data?.error_description === 'string' ? e.response.data.error_description : '';
  return new PageError(502, 'Hydrant refused the request', `The admin API answered ${status}${description ? `: ${description}` : '.'}`);
}

export function notFound(): RequestHandler {
  return (_req, res) => {
    res.status(404).send(errorPage(new PageError(404, 'Not found', 'This example app has no such page.')));
  };
}

/**
 * The last handler: every failure becomes a readable page, never a stack trace or a dropped connection.
 * (Four parameters: Express tells error handlers by their arity.)
 */
export function errorPages(adminUrl: string): ErrorRequestHandler {
  return (e: unknown, _req, res, _next) => {
    // 410: the request was already handled (a second tab, the back button); Hydrant says where it went on.
    if (isAdminFailure(e) && e.response?.status === 410 && typeof e.response.data?.redirect_to === 'string') {
      return res.redirect(303, e.response.data.redirect_to);
    }
    let error: PageError;
    if (e instanceof PageError) error = e;
    else if (isAdminFailure(e)) error = explainAdminFailure(e, adminUrl);
    else {
      console.error(e);
      error = new PageError(500, 'Something went wrong', 'The example app failed; its console says why.');
    }
    res.status(error.status).send(errorPage(error));
  };
}
