import * as api from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, NodeTracerProvider, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import express, { NextFunction, Request, Response } from 'express';
import pino from 'pino';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LoopbackServer, startLoopbackServer } from '../../../../test/support/loopback-server';
import { OutboundHttpClient } from '../http/outbound/outbound-http.client';
import { PrivateAddressRule } from '../http/outbound/private-address.rule';
import { requestLog } from '../logging/request-log';
import { createDataSource } from '../persistence/data-source.factory';
import { sql } from '../persistence/sql';
import { sqlDatabase } from '../persistence/sql-database';
import { activeTracing, setActiveTracing } from './active-tracing';

/**
 * The instrumentation with tracing on, in process: an in-memory exporter behind a real provider, an
 * Express app mounted as Hydrant mounts its apps (the request log first), a real SQLite statement and a
 * real outbound call to a loopback server. The e2e spec (test/tracing.e2e-spec.ts) runs the same through
 * the built server and an OTLP receiver.
 */
describe('tracing, on', () => {
  const SECRET = 'secret-value-never-in-a-span';
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  let dataSource: DataSource;
  let receiver: LoopbackServer;
  const received: Array<string | undefined> = [];
  const outbound = new OutboundHttpClient({ timeoutMs: 2_000, rule: new PrivateAddressRule(false) });
  let app: express.Express;

  beforeAll(async () => {
    provider.register({ propagator: new W3CTraceContextPropagator() });
    setActiveTracing({ tracer: provider.getTracer('spec'), api });
    dataSource = createDataSource({ dsn: 'memory', dbBusyTimeout: 1000, dbPoolSize: 1 });
    await dataSource.initialize();
    receiver = await startLoopbackServer((req, res) => {
      received.push(req.headers.traceparent as string | undefined);
      res.writeHead(req.url?.startsWith('/missing') ? 404 : 200).end('{}');
    });
    app = express();
    app.use(requestLog(pino({ level: 'silent' })));
    app.use((req: Request, _res: Response, next: NextFunction) => (req.path === '/refused' ? next(Object.assign(new Error('no'), { status: 400 })) : next()));
    // The body parser resumes from the request's stream events: the context must survive it.
    app.use(express.urlencoded({ extended: false }));
    app.post('/things/:id', async (req: Request, res: Response) => {
      const rows = await sqlDatabase(dataSource).all<{ v: string }>(sql`SELECT ${String(req.body.secret)} AS "v"`);
      await outbound.request(`${receiver.origin}/hook?key=${SECRET}`, { method: 'POST', body: SECRET, maxBodyBytes: 1024 });
      await outbound.request(`${receiver.origin}/missing`, { maxBodyBytes: 1024 }).catch(() => undefined);
      res.json({ v: rows[0].v });
    });
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.use((err: { status?: number }, _req: Request, res: Response, _next: NextFunction) => res.status(err.status ?? 500).end());
  });

  afterAll(async () => {
    setActiveTracing(undefined);
    outbound.close();
    await receiver.close();
    await dataSource.destroy();
    await provider.shutdown();
    api.trace.disable();
    api.context.disable();
    api.propagation.disable();
  });

  beforeEach(() => {
    exporter.reset();
    received.length = 0;
  });

  /** Spans end as the response closes, just after supertest has its answer. */
  async function spans(count: number): Promise<ReadableSpan[]> {
    for (let i = 0; i < 100 && exporter.getFinishedSpans().length < count; i++) await new Promise((r) => setTimeout(r, 10));
    return exporter.getFinishedSpans();
  }
  const server = (all: ReadableSpan[]) => all.find((s) => s.kind === api.SpanKind.SERVER)!;
  const childrenOf = (all: ReadableSpan[], parent: ReadableSpan) =>
    all.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId && s.spanContext().traceId === parent.spanContext().traceId);

  it('is active', () => {
    expect(activeTracing()).toBeDefined();
  });

  it('makes a server span per request, with the statement and the outbound calls as its children', async () => {
    const res = await request(app).post(`/things/42?code=${SECRET}`).type('form').send({ secret: SECRET });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ v: SECRET });
    const all = await spans(4);
    expect(all).toHaveLength(4);

    const root = server(all);
    expect(root.name).toBe('POST /things/:id');
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.attributes).toEqual({ 'http.request.method': 'POST', 'url.path': '/things/42', 'http.route': '/things/:id', 'http.response.status_code': 200 });

    const [statement, ...calls] = childrenOf(all, root);
    expect(statement.kind).toBe(api.SpanKind.CLIENT);
    expect(statement.name).toBe('SELECT');
    expect(statement.attributes).toEqual({ 'db.system.name': 'sqlite', 'db.operation.name': 'SELECT', 'db.query.text': 'SELECT ? AS "v"' });

    expect(calls.map((c) => [c.name, c.attributes])).toEqual([
      ['POST', { 'http.request.method': 'POST', 'server.address': '127.0.0.1', 'server.port': Number(new URL(receiver.origin).port), 'url.scheme': 'http', 'url.path': '/hook', 'http.response.status_code': 200 }],
      ['GET', expect.objectContaining({ 'url.path': '/missing', 'http.response.status_code': 404, 'error.type': '404' })],
    ]);
    expect(calls[1].status.code).toBe(api.SpanStatusCode.ERROR);
    // Each outbound request carried the traceparent of its own span.
    expect(received).toEqual(calls.map((c) => `00-${c.spanContext().traceId}-${c.spanContext().spanId}-01`));

    expect(JSON.stringify(all.map((s) => [s.name, s.attributes, s.events, s.status]))).not.toContain(SECRET);
  });

  it("continues the caller's trace from its traceparent", async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const parentId = 'b7ad6b7169203331';
    await request(app).post('/things/1').set('traceparent', `00-${traceId}-${parentId}-01`).type('form').send({ secret: 'x' });
    const root = server(await spans(4));
    expect(root.spanContext().traceId).toBe(traceId);
    expect(root.parentSpanContext?.spanId).toBe(parentId);
    expect(received.every((header) => header?.startsWith(`00-${traceId}-`))).toBe(true);
  });

  it('names an unrouted or refused request by its path, and marks a 5xx as an error', async () => {
    await request(app).post(`/refused?token=${SECRET}`);
    const refused = server(await spans(1));
    expect(refused.name).toBe('POST /refused');
    expect(refused.attributes).toEqual({ 'http.request.method': 'POST', 'url.path': '/refused', 'http.response.status_code': 400 });
    expect(refused.status.code).toBe(api.SpanStatusCode.UNSET);

    exporter.reset();
    await request(app).get('/boom');
    const failed = server(await spans(1));
    expect(failed.name).toBe('GET /boom');
    expect(failed.attributes).toMatchObject({ 'http.response.status_code': 500, 'error.type': '500' });
    expect(failed.status.code).toBe(api.SpanStatusCode.ERROR);
  });

  it('makes no span for a statement or a call outside a request, and sends no traceparent then', async () => {
    await sqlDatabase(dataSource).all(sql`SELECT 1 AS "one"`);
    await outbound.request(`${receiver.origin}/alone`, { maxBodyBytes: 1024 });
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(received).toEqual([undefined]);
  });
});
