import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { routeLabel, UNMATCHED_ROUTE } from '../metrics/metrics';
import { activeTracing } from './active-tracing';
import { ATTR, pathWithoutQuery } from './span-attributes';

/**
 * `handler` inside one SERVER span per request, when tracing is on; `handler` itself when it is off, so
 * that an app built without tracing pays nothing per request. Mounted as the first middleware of each app
 * (wrapping the request log), so fast routes and early refusals get their span too.
 *
 * The span continues the caller's trace when the request carries a W3C `traceparent`, and is the active
 * context of everything the request runs: the SQL statements and outbound calls under it become its
 * children. The request and the response are bound to that context, because body parsers and Express
 * resume from their stream events, which would otherwise run outside it. It ends when the response is
 * done, named `METHOD /route/template` when a route matched and `METHOD /path` otherwise.
 */
export function withServerSpans(handler: RequestHandler): RequestHandler {
  const tracing = activeTracing();
  if (!tracing) return handler;
  const { tracer, api } = tracing;
  const { context, propagation, trace, ROOT_CONTEXT, SpanKind, SpanStatusCode } = api;

  return (req: Request, res: Response, next: NextFunction): void => {
    const method = req.method;
    const path = pathWithoutQuery(req.originalUrl ?? req.url);
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = tracer.startSpan(`${method} ${path}`, { kind: SpanKind.SERVER, attributes: { [ATTR.httpRequestMethod]: method, [ATTR.urlPath]: path } }, parent);
    const active = trace.setSpan(parent, span);
    context.bind(active, req);
    context.bind(active, res);
    res.once('close', () => {
      const route = routeLabel(req);
      if (route !== UNMATCHED_ROUTE) {
        span.setAttribute(ATTR.httpRoute, route);
        span.updateName(`${method} ${route}`);
      }
      if (!res.writableFinished) {
        // The connection went before the answer was out: whatever status was set, the caller saw none.
        span.setAttribute(ATTR.errorType, 'connection_closed');
        span.setStatus({ code: SpanStatusCode.ERROR });
      } else {
        span.setAttribute(ATTR.httpResponseStatusCode, res.statusCode);
        // A 4xx is the caller's mistake, not the server's (OpenTelemetry's HTTP server conventions).
        if (res.statusCode >= 500) {
          span.setAttribute(ATTR.errorType, String(res.statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
      }
      span.end();
    });
    context.with(active, () => handler(req, res, next));
  };
}
