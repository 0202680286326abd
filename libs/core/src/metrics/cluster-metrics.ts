import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from '../logging/logger';
import { metricsRegistry } from './metrics';

/**
 * Metrics of a whole `hydrant serve --workers N` server, whichever worker a scrape lands on.
 *
 * Each worker counts its own requests in its own registry; the primary serves no HTTP. A scrape therefore
 * goes: the worker that received it sends `{type: REQUEST, id}` to the primary over the cluster IPC
 * channel; the primary asks every worker for its registry (prom-client's AggregatorRegistry, whose own
 * request/response pair every worker answers once `joinClusterMetrics` ran), sums them, and answers
 * `{type: RESPONSE, id, body, contentType}` (or `{..., error}`). Should no answer come within
 * REQUEST_TIMEOUT_MS (a primary busy forking, a worker still starting), the worker serves its own metrics
 * and logs a warning, so that a scrape never fails for want of the others. Outside a cluster the process's
 * own registry is the whole server.
 */
const REQUEST = 'hydrant:metrics-request';
const RESPONSE = 'hydrant:metrics-response';
const REQUEST_TIMEOUT_MS = 3000;

export interface MetricsExposition {
  contentType: string;
  body: string;
}

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}

interface MetricsResponse {
  type: typeof RESPONSE;
  id: number;
  body?: string;
  contentType?: string;
  error?: string;
}

const isMessage = <T extends { type: string }>(message: unknown, type: T['type']): message is T =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;

/** In the primary: answers the workers' metrics requests with the sum over all workers. */
export function serveClusterMetrics(logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<MetricsRequest>(message, REQUEST)) return;
    const reply = (response: Omit<MetricsResponse, 'type' | 'id'>) => {
      if (worker.isConnected()) worker.send({ type: RESPONSE, id: message.id, ...response } satisfies MetricsResponse);
    };
    aggregator.clusterMetrics().then(
      (body) => reply({ body, contentType: aggregator.contentType }),
      (e: Error) => {
        logger.warn({ err: e.message }, 'could not aggregate the workers’ metrics');
        reply({ error: e.message });
      },
    );
  });
}

const pending = new Map<number, (response: MetricsResponse) => void>();
let nextId = 0;
let joined = false;

/** In a worker: hands this process's registry to the primary's aggregation and listens for its answers. */
export function joinClusterMetrics(): void {
  if (joined || !cluster.isWorker) return;
  joined = true;
  AggregatorRegistry.setRegistries([metricsRegistry()]);
  // prom-client installs a worker's answering listener when an AggregatorRegistry is constructed.
  new AggregatorRegistry();
  process.on('message', (message: unknown) => {
    if (isMessage<MetricsResponse>(message, RESPONSE)) pending.get(message.id)?.(message);
  });
}

async function ownMetrics(): Promise<MetricsExposition> {
  const registry = metricsRegistry();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/** The metrics of the whole server: aggregated by the primary in a cluster worker, else this process's own. */
export async function serverMetrics(logger: Logger): Promise<MetricsExposition> {
  if (!joined || !process.send) return ownMetrics();
  const id = nextId++;
  const response = await new Promise<MetricsResponse | undefined>((resolve) => {
    const timer = setTimeout(() => settle(undefined), REQUEST_TIMEOUT_MS);
    const settle = (value: MetricsResponse | undefined) => {
      clearTimeout(timer);
      pending.delete(id);
      resolve(value);
    };
    pending.set(id, settle);
    process.send!({ type: REQUEST, id } satisfies MetricsRequest, undefined, undefined, (e: Error | null) => {
      if (e) settle({ type: RESPONSE, id, error: e.message });
    });
  });
  if (response?.body !== undefined && response.contentType) return { contentType: response.contentType, body: response.body };
  logger.warn({ reason: response?.error ?? `no answer within ${REQUEST_TIMEOUT_MS} ms` }, 'serving this worker’s metrics only: the primary did not aggregate them');
  return ownMetrics();
}
