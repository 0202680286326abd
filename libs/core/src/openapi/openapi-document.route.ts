import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';

/**
 * `GET <path>`: the port's OpenAPI document. It is built on the first request, not at start-up (building
 * scans every controller), then kept as serialized JSON; a failed build is retried on the next request.
 * Express middleware at that path (GET and HEAD only), ahead of the app's own routes.
 */
export function serveOpenApiDocument(app: NestExpressApplication, path: string, build: () => Promise<OpenAPIObject>): void {
  let json: Promise<string> | undefined;
  const documentJson = (): Promise<string> => {
    json ??= build().then(
      (document) => JSON.stringify(document),
      (e: unknown) => {
        json = undefined;
        throw e;
      },
    );
    return json;
  };
  app.use(path, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path !== '/') return next();
    documentJson().then((body) => {
      res.status(200).type('application/json').setHeader('Cache-Control', 'no-cache');
      res.end(body);
    }, next);
  });
}
