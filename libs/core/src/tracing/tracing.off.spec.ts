import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { LoopbackServer, startLoopbackServer } from '../../../../test/support/loopback-server';
import { OutboundHttpClient } from '../http/outbound/outbound-http.client';
import { PrivateAddressRule } from '../http/outbound/private-address.rule';
import { requestLog } from '../logging/request-log';
import { createDataSource } from '../persistence/data-source.factory';
import { sql } from '../persistence/sql';
import { sqlDatabase } from '../persistence/sql-database';
import { activeTracing } from './active-tracing';
import { withServerSpans } from './server-span';

// With tracing off no part of the SDK may load: each of its packages fails the spec if required (jest.mock
// factories are hoisted above everything, hence one literal each).
jest.mock('@opentelemetry/sdk-trace-node', () => {
  throw new Error('@opentelemetry/sdk-trace-node was loaded with tracing off');
});
jest.mock('@opentelemetry/sdk-trace-base', () => {
  throw new Error('@opentelemetry/sdk-trace-base was loaded with tracing off');
});
jest.mock('@opentelemetry/core', () => {
  throw new Error('@opentelemetry/core was loaded with tracing off');
});
jest.mock('@opentelemetry/resources', () => {
  throw new Error('@opentelemetry/resources was loaded with tracing off');
});
jest.mock('@opentelemetry/exporter-trace-otlp-http', () => {
  throw new Error('@opentelemetry/exporter-trace-otlp-http was loaded with tracing off');
});
jest.mock('@opentelemetry/exporter-trace-otlp-proto', () => {
  throw new Error('@opentelemetry/exporter-trace-otlp-proto was loaded with tracing off');
});
jest.mock('@opentelemetry/semantic-conventions', () => {
  throw new Error('@opentelemetry/semantic-conventions was loaded with tracing off');
});

describe('tracing, off (the default)', () => {
  let receiver: LoopbackServer;
  const headers: string[][] = [];

  beforeAll(async () => {
    receiver = await startLoopbackServer((req, res) => {
      headers.push(Object.keys(req.headers));
      res.end('{}');
    });
  });
  afterAll(() => receiver.close());

  it('has no tracer', () => {
    expect(activeTracing()).toBeUndefined();
  });

  it('would notice the SDK being loaded', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(() => require('@opentelemetry/sdk-trace-node')).toThrow(/loaded with tracing off/);
  });

  it('leaves the request middleware unwrapped', () => {
    const handler = (_req: unknown, _res: unknown, next: () => void) => next();
    expect(withServerSpans(handler)).toBe(handler);
  });

  it('serves, queries and calls out without the SDK, and sends no traceparent', async () => {
    const dataSource = createDataSource({ dsn: 'memory', dbBusyTimeout: 1000, dbPoolSize: 1 });
    await dataSource.initialize();
    const outbound = new OutboundHttpClient({ timeoutMs: 2_000, rule: new PrivateAddressRule(false) });
    try {
      const app = express();
      app.use(requestLog(pino({ level: 'silent' })));
      app.get('/x', async (_req, res) => {
        const [row] = await sqlDatabase(dataSource).all<{ one: number }>(sql`SELECT ${1} AS "one"`);
        await outbound.request(`${receiver.origin}/hook`, { maxBodyBytes: 1024 });
        res.json(row);
      });
      const res = await request(app).get('/x').set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');
      expect(res.body).toEqual({ one: 1 });
      expect(headers).toHaveLength(1);
      expect(headers[0]).not.toContain('traceparent');
    } finally {
      outbound.close();
      await dataSource.destroy();
    }
  });
});
