import type { NestExpressApplication } from '@nestjs/platform-express';
import { dirname } from 'node:path';
import express, { NextFunction, Request, Response } from 'express';

/** The page: swagger-ui-dist's assets, named relative to where the browser asked for the page. */
function page(base: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="${base}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="${base}/swagger-ui-bundle.js"></script><script src="${base}/swagger-ui-init.js"></script></body>
</html>
`;
}

/**
 * Swagger UI at `path` (and its assets below it), from swagger-ui-dist. The browser reads the document from
 * the sibling `openapi.json` of the page's own path, so the UI builds nothing on the server and works at
 * `/docs` and `/admin/docs` alike (adminPrefix serves both).
 */
export function serveSwaggerUi(app: NestExpressApplication, path: string, title: string): void {
  const assets = express.static(dirname(require.resolve('swagger-ui-dist/package.json')), { index: false });
  const init = "window.onload = function () { window.ui = SwaggerUIBundle({ url: location.pathname.replace(/docs\\/?$/, 'openapi.json'), dom_id: '#swagger-ui' }); };\n";
  app.use(path, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/') {
      res.status(200).type('html').send(page(req.originalUrl.split('?')[0].replace(/\/$/, ''), title));
      return;
    }
    if (req.path === '/swagger-ui-init.js') {
      res.status(200).type('application/javascript').send(init);
      return;
    }
    if (req.path === '/index.html' || req.path === '/swagger-initializer.js') return next();
    assets(req, res, next);
  });
}
