import express from 'express';
import request from 'supertest';
import { httpMetrics, metricsRegistry, routeLabel, UNMATCHED_ROUTE } from './metrics';
import { durationCounts } from '../../../../test/support/duration-counts';

describe('httpMetrics', () => {
  const app = express();
  app.use(httpMetrics('admin'));
  app.get('/admin/clients/:id', (_req, res) => void res.json({ ok: true }));
  const router = express.Router();
  router.delete('/keys/:set', (_req, res) => void res.status(204).end());
  app.use('/admin', router);

  it('labels a request with the matched route template, never the raw URL', async () => {
    await request(app).get('/admin/clients/abc?x=1').expect(200);
    await request(app).get('/admin/clients/def').expect(200);
    await request(app).delete('/admin/keys/hydra.openid.id-token').expect(204);
    await request(app).get('/nowhere/123').expect(404);

    const counts = await durationCounts();
    expect(counts.get('admin GET /admin/clients/:id 200')).toBe(2);
    expect(counts.get('admin DELETE /admin/keys/:set 204')).toBe(1);
    expect(counts.get(`admin GET ${UNMATCHED_ROUTE} 404`)).toBe(1);
    expect([...counts.keys()].some((k) => /abc|def|nowhere|hydra\.openid/.test(k))).toBe(false);
  });

  it('exposes the default process metrics under the hydrant_ prefix', async () => {
    const text = await metricsRegistry().metrics();
    expect(text).toContain('hydrant_process_cpu_user_seconds_total');
    expect(text).toContain('hydrant_nodejs_eventloop_lag_seconds');
  });
});

describe('routeLabel', () => {
  it('is "unmatched" without a route, and the template (with any mount path) with one', () => {
    expect(routeLabel({ baseUrl: '' } as never)).toBe(UNMATCHED_ROUTE);
    expect(routeLabel({ baseUrl: '', route: { path: '/oauth2/token' } } as never)).toBe('/oauth2/token');
    expect(routeLabel({ baseUrl: '/admin', route: { path: '/keys/:set' } } as never)).toBe('/admin/keys/:set');
    expect(routeLabel({ baseUrl: '', route: { path: /re/ } } as never)).toBe(UNMATCHED_ROUTE);
  });
});
