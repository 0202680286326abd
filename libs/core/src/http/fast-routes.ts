import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { MetricsApp, observeHttpRequest } from '../metrics/metrics';
import { readFormBody } from './form-body';

/** A JSON answer: its status, its headers beyond Content-Type and Content-Length, and its body (none when undefined). */
export interface JsonAnswer {
  status: number;
  headers?: Readonly<Record<string, string>>;
  body?: unknown;
}

/** A POST endpoint that takes a form and answers JSON, served by fastRoutes. */
export interface FastRoute {
  /** The path it answers, matched as Express's router would (query, case and a trailing slash aside); also its metrics label. */
  path: string;
  /** Runs before the form is read; throws to refuse (the admin API key). */
  guard?: (req: Request) => void;
  /** Whether the form may also arrive as multipart/form-data (Fluxer's clients send it so). */
  multipart?: boolean;
  handle(form: Record<string, string | string[]>, req: Request, res: Response): Promise<JsonAnswer>;
}

export interface FastRoutesOptions {
  app: MetricsApp;
  bodyLimit: number;
  /** How the app renders a failure: the same function its exception filter uses. */
  renderError: (thrown: unknown, req: Request) => JsonAnswer;
}

/** Writes a JSON answer in one go (no MIME lookup, no Buffer copy, no ETag freshness check). */
export function sendJsonAnswer(res: Response, answer: JsonAnswer): void {
  if (answer.body === undefined) {
    res.writeHead(answer.status, { ...answer.headers, 'Content-Length': 0 });
    res.end();
    return;
  }
  const json = JSON.stringify(answer.body);
  res.writeHead(answer.status, { ...answer.headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

/**
 * The endpoints that machines call all day (the token endpoint, introspection), served by the app's first
 * Express middleware instead of Nest's router. On them Nest's per-request execution context, the app-wide
 * middleware (cookies, NUL check, two body parsers, depth check, CORS), body-parser's generic reading and
 * `res.json` cost more CPU than issuing or checking the token itself (a CPU profile under load). A fast route runs
 * only what its endpoint needs: a guard, its form, libs/core's handler, one JSON write, one metrics
 * observation. Any other method or path goes on to the app as usual.
 */
export function fastRoutes(routes: readonly FastRoute[], options: FastRoutesOptions): RequestHandler {
  const byPath = new Map(routes.map((route) => [route.path, route]));

  // Express's router ignores case and a trailing slash; so do the fast routes.
  const routeOf = (url: string): FastRoute | undefined => {
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    return byPath.get(path) ?? byPath.get(path.toLowerCase().replace(/(.)\/$/, '$1'));
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'POST') return next();
    const route = routeOf(req.url);
    if (!route) return next();
    const startedAt = performance.now();
    const answer = (a: JsonAnswer) => {
      if (!res.headersSent) sendJsonAnswer(res, a);
      observeHttpRequest(options.app, 'POST', route.path, res.statusCode, startedAt);
    };
    serve(route, req, res, options.bodyLimit)
      .then(answer, (thrown: unknown) => answer(options.renderError(thrown, req)))
      .catch(() => res.destroy()); // rendering the error failed too: nothing sensible is left to send
  };
}

async function serve(route: FastRoute, req: Request, res: Response, bodyLimit: number): Promise<JsonAnswer> {
  route.guard?.(req);
  return route.handle(await readFormBody(req, bodyLimit, { multipart: route.multipart }), req, res);
}
