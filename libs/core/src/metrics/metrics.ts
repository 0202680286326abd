import type { NextFunction, Request, Response } from 'express';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Which listener observed a request. */
export type MetricsApp = 'public' | 'admin';

/** The route label of a request no route answered (404s, and refusals before routing such as a 401 for a missing admin key). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * From 1 ms (a health probe, a token request) to 10 s (a stalled database): the token endpoint's secret
 * hashing sits in the tens of milliseconds, where the buckets are densest.
 */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface ProcessMetrics {
  registry: Registry;
  httpDuration: Histogram<'app' | 'method' | 'route' | 'status_code'>;
  tokensIssued: Counter<'grant_type'>;
  authenticationFailures: Counter<'method'>;
  flowOutcomes: Counter<'flow' | 'outcome'>;
}

let processMetrics: ProcessMetrics | undefined;

/**
 * The process's one registry, created on first use so that commands which serve nothing (migrate, clients)
 * never start the default collectors. Both apps of a process share it; workers of a cluster each have one.
 */
function metrics(): ProcessMetrics {
  if (processMetrics) return processMetrics;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hydrant_' });
  const httpDuration = new Histogram({
    name: 'hydrant_http_request_duration_seconds',
    help: 'Duration of HTTP requests, by listener, method, matched route template and status code.',
    labelNames: ['app', 'method', 'route', 'status_code'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const tokensIssued = new Counter({
    name: 'hydrant_tokens_issued_total',
    help: 'Token responses the token endpoint gave, by grant type.',
    labelNames: ['grant_type'] as const,
    registers: [registry],
  });
  const authenticationFailures = new Counter({
    name: 'hydrant_client_authentication_failures_total',
    help: 'Failed client authentications, by the method the client tried.',
    labelNames: ['method'] as const,
    registers: [registry],
  });
  const flowOutcomes = new Counter({
    name: 'hydrant_flow_outcomes_total',
    help: 'Login, consent and logout requests the apps decided, by flow and outcome.',
    labelNames: ['flow', 'outcome'] as const,
    registers: [registry],
  });
  processMetrics = { registry, httpDuration, tokensIssued, authenticationFailures, flowOutcomes };
  return processMetrics;
}

/** One token response of the token endpoint. */
export function countTokensIssued(grantType: string): void {
  metrics().tokensIssued.inc({ grant_type: grantType });
}

/** One failed client authentication; `method`: what the client tried (client_secret_basic, …, or unknown). */
export function countClientAuthenticationFailure(method: string): void {
  metrics().authenticationFailures.inc({ method });
}

/** One login, consent or logout request accepted or rejected by its app (a request decided again counts nothing). */
export function countFlowOutcome(flow: 'login' | 'consent' | 'logout', outcome: 'accepted' | 'rejected'): void {
  metrics().flowOutcomes.inc({ flow, outcome });
}

export function metricsRegistry(): Registry {
  return metrics().registry;
}

/**
 * The route template Express matched (`/admin/clients/:id`), never the raw URL: ids and query strings in
 * a label would grow the series without bound.
 */
export function routeLabel(req: Pick<Request, 'route' | 'baseUrl'>): string {
  const path: unknown = req.route?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  return `${req.baseUrl ?? ''}${path}` || '/';
}

/** Express middleware timing every request of `app`, observed once its response is out. */
export function httpMetrics(app: MetricsApp) {
  const { httpDuration } = metrics();
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = httpDuration.startTimer();
    res.once('finish', () => end({ app, method: req.method, route: routeLabel(req), status_code: String(res.statusCode) }));
    next();
  };
}

/**
 * Records a request that a fast route answered itself (fast-routes.ts): those run ahead of the app's
 * middleware, httpMetrics included. `startedAt` is `performance.now()` when the request reached the app.
 */
export function observeHttpRequest(app: MetricsApp, method: string, route: string, statusCode: number, startedAt: number): void {
  metrics().httpDuration.observe({ app, method, route, status_code: String(statusCode) }, (performance.now() - startedAt) / 1000);
}
