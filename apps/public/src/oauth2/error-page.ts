import { Response } from 'express';
import { OAuth2Error } from '@hydrant/core';
import { escapeHtml } from './html';

/** Answers with the error page, never cached; a failed client authentication shows as a bad request. */
export function sendErrorPage(res: Response, error: OAuth2Error): void {
  res.setHeader('Cache-Control', 'no-store');
  res.status(error.statusCode === 401 ? 400 : error.statusCode).type('html').send(renderErrorPage(error));
}

/**
 * The page a browser sees when an authorization request cannot be answered to the client, because the
 * client or its redirect URI is not trusted (RFC 6749 §4.1.2.1: the user is told, nobody is redirected).
 */
export function renderErrorPage(error: OAuth2Error): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorization failed</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:.1rem .3rem}</style>
</head><body>
<h1>The request could not be authorized</h1>
<p><code>${escapeHtml(error.error)}</code></p>
<p>${escapeHtml(error.fullDescription)}</p>
<p>Return to the application you came from and try again; if it keeps happening, its operator must fix its registration.</p>
</body></html>`;
}
