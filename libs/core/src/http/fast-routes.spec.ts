import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { Request } from 'express';
import request from 'supertest';
import { Errors, OAuth2Error, toOAuth2Error } from '../errors';
import { FastRoute, fastRoutes, JsonAnswer } from './fast-routes';
import { readFormBody } from './form-body';
import { durationCounts } from '../../../../test/support/duration-counts';

const FORM = 'application/x-www-form-urlencoded';
const BODY_LIMIT = 256;

describe('fastRoutes', () => {
  /** What the routes and renderError saw, reset before each test. */
  let seen: {
    forms: Array<Record<string, string | string[]>>;
    handled: string[];
    guarded: string[];
    rendered: unknown[];
  };
  let guardError: Error | undefined;
  let handlerError: Error | undefined;

  const echo: FastRoute = {
    path: '/fast/echo',
    guard: (req: Request) => {
      seen.guarded.push(req.url);
      if (guardError) throw guardError;
    },
    async handle(form, req) {
      seen.handled.push(req.url);
      seen.forms.push(form);
      if (handlerError) throw handlerError;
      return { status: 201, headers: { 'Cache-Control': 'no-store', 'X-Route': 'echo' }, body: { keys: Object.keys(form).sort(), url: req.url } };
    },
  };
  const metered: FastRoute = {
    path: '/fast/metered',
    handle: async () => ({ status: 200, body: { ok: true } }),
  };

  const renderError = (thrown: unknown): JsonAnswer => {
    seen.rendered.push(thrown);
    const e = toOAuth2Error(thrown);
    return { status: e.statusCode, headers: { 'X-Rendered': 'yes' }, body: { error: e.error, error_description: e.fullDescription } };
  };

  const app = express();
  app.use(fastRoutes([echo, metered], { app: 'public', bodyLimit: BODY_LIMIT, renderError }));
  app.use((req, res) => void res.status(404).json({ fellThrough: true, method: req.method, url: req.url }));

  beforeEach(() => {
    seen = { forms: [], handled: [], guarded: [], rendered: [] };
    guardError = undefined;
    handlerError = undefined;
  });

  describe('matching', () => {
    it('answers a matching POST with the handler\'s status, headers and JSON, as application/json; charset=utf-8', async () => {
      const res = await request(app).post('/fast/echo').type('form').send('b=2&a=1');
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-route']).toBe('echo');
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
      expect(res.body).toEqual({ keys: ['a', 'b'], url: '/fast/echo' });
      expect(seen.handled).toEqual(['/fast/echo']);
      expect(seen.rendered).toEqual([]);
    });

    it('ignores the query string when matching, and does not read it as form parameters', async () => {
      const res = await request(app).post('/fast/echo?a=from-query&x=1').type('form').send('b=2');
      expect(res.status).toBe(201);
      expect(res.body).toEqual({ keys: ['b'], url: '/fast/echo?a=from-query&x=1' });
      expect(seen.forms).toEqual([{ b: '2' }]);
    });

    it('matches as the Express router does: whatever the case, with or without a trailing slash', async () => {
      for (const path of ['/FAST/Echo', '/fast/echo/', '/Fast/ECHO/?x=1']) {
        expect((await request(app).post(path).type('form').send('a=1')).status).toBe(201);
      }
      expect((await request(app).post('/fast/echo//').type('form').send('a=1')).status).not.toBe(201);
    });

    it('lets GET on the path and POST on other paths fall through to the next middleware', async () => {
      const get = await request(app).get('/fast/echo').expect(404);
      expect(get.body).toEqual({ fellThrough: true, method: 'GET', url: '/fast/echo' });
      const other = await request(app).post('/fast/echo/more').type('form').send('a=1').expect(404);
      expect(other.body).toEqual({ fellThrough: true, method: 'POST', url: '/fast/echo/more' });
      const prefix = await request(app).post('/fast').type('form').send('a=1').expect(404);
      expect(prefix.body.fellThrough).toBe(true);
      expect(seen.guarded).toEqual([]);
      expect(seen.handled).toEqual([]);
      expect(seen.rendered).toEqual([]);
    });
  });

  describe('guards and errors', () => {
    it('does not run the handler (nor read the body) when the guard throws, and renders the guard\'s error', async () => {
      guardError = Errors.unauthorized().withHint('No key.');
      // A body that would itself fail (wrong media type): the guard's error must win, as it runs first.
      const res = await request(app).post('/fast/echo').set('Content-Type', 'application/json').send('{"a":1}');
      expect(res.status).toBe(401);
      expect(res.headers['x-rendered']).toBe('yes');
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.body).toEqual({ error: 'unauthorized', error_description: 'The request could not be authorized. No key.' });
      expect(seen.guarded).toEqual(['/fast/echo']);
      expect(seen.handled).toEqual([]);
      expect(seen.rendered).toEqual([guardError]);
    });

    it('renders a handler\'s thrown error through renderError', async () => {
      handlerError = Errors.invalidGrant().withHint('Nope.');
      const res = await request(app).post('/fast/echo').type('form').send('a=1');
      expect(res.status).toBe(400);
      expect(res.headers['x-rendered']).toBe('yes');
      expect(res.headers['x-route']).toBeUndefined();
      expect(res.body.error).toBe('invalid_grant');
      expect(seen.rendered).toEqual([handlerError]);
    });

    it('renders an unexpected handler error as renderError decides (500 server_error here)', async () => {
      handlerError = new Error('database exploded');
      const res = await request(app).post('/fast/echo').type('form').send('a=1');
      expect(res.status).toBe(500);
      expect(res.body.error).toBe('server_error');
      expect(res.text).not.toContain('database exploded');
      expect(seen.rendered).toEqual([handlerError]);
    });
  });

  describe('the form (readFormBody)', () => {
    it('parses a form: percent and plus decoding, repeated keys as arrays, empty values', async () => {
      await request(app).post('/fast/echo').type('form').send('a=1&a=2&b=hello+world%21&c=&d=%C3%A9%E2%82%AC').expect(201);
      expect(seen.forms).toHaveLength(1);
      expect({ ...seen.forms[0] }).toEqual({ a: ['1', '2'], b: 'hello world!', c: '', d: 'é€' });
    });

    it('parses an empty body to an empty form', async () => {
      await request(app).post('/fast/echo').set('Content-Type', FORM).send('').expect(201);
      expect({ ...seen.forms[0] }).toEqual({});
    });

    it('treats __proto__ and constructor as plain keys, without polluting any prototype', async () => {
      const res = await request(app)
        .post('/fast/echo')
        .type('form')
        .send('__proto__=x&__proto__%5Bpolluted%5D=yes&constructor=c&constructor%5Bprototype%5D%5Bpolluted%5D=yes&a=1');
      expect(res.status).toBe(201);
      const form = seen.forms[0];
      expect(Object.getPrototypeOf(form)).toBeNull();
      expect(Object.prototype.hasOwnProperty.call(form, '__proto__')).toBe(true);
      expect(Object.getOwnPropertyDescriptor(form, '__proto__')?.value).toBe('x');
      expect(form.constructor).toBe('c');
      expect(form['__proto__[polluted]']).toBe('yes');
      expect(res.body.keys).toEqual(['__proto__', '__proto__[polluted]', 'a', 'constructor', 'constructor[prototype][polluted]']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('accepts the media type case-insensitively, and the charsets utf-8, utf8, us-ascii (quoted or not)', async () => {
      for (const contentType of [
        'Application/X-WWW-Form-Urlencoded',
        `${FORM}; charset=utf-8`,
        `${FORM}; charset=UTF-8`,
        `${FORM}; charset="utf-8"`,
        `${FORM};charset=utf8`,
        `${FORM}; charset=us-ascii`,
      ]) {
        const res = await request(app).post('/fast/echo').set('Content-Type', contentType).send('a=1');
        expect({ contentType, status: res.status }).toEqual({ contentType, status: 201 });
      }
      await request(app).post('/fast/echo').set('Content-Encoding', 'identity').type('form').send('a=1').expect(201);
    });

    it('refuses a body of another media type (or none) with an OAuth2Error invalid_request, before any handler runs', async () => {
      for (const send of [
        () => request(app).post('/fast/echo').set('Content-Type', 'application/json').send('{"a":"1"}'),
        () => request(app).post('/fast/echo').set('Content-Type', 'text/plain').send('a=1'),
        () => request(app).post('/fast/echo').set('Content-Type', 'multipart/form-data; boundary=x').send('a=1'),
        () => request(app).post('/fast/echo').set('Content-Type', 'application/x-www-form-urlencoded-evil').send('a=1'),
        () => request(app).post('/fast/echo'),
      ]) {
        const res = await send();
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_request');
      }
      expect(seen.rendered).toHaveLength(5);
      for (const thrown of seen.rendered) {
        expect(thrown).toBeInstanceOf(OAuth2Error);
        expect((thrown as OAuth2Error).error).toBe('invalid_request');
        expect((thrown as OAuth2Error).statusCode).toBe(400);
      }
      expect(seen.handled).toEqual([]);
    });

    it('refuses a charset other than UTF-8 with 415', async () => {
      for (const charset of ['iso-8859-1', 'latin1', 'utf-16', '"windows-1252"']) {
        const res = await request(app).post('/fast/echo').set('Content-Type', `${FORM}; charset=${charset}`).send('a=1');
        expect(res.status).toBe(415);
        expect(res.body.error).toBe('unsupported_media_type');
      }
      expect(seen.rendered.every((e) => e instanceof OAuth2Error && e.statusCode === 415)).toBe(true);
      expect(seen.handled).toEqual([]);
    });

    it('refuses a Content-Encoding (gzip, deflate) with 415, without inflating anything', async () => {
      const gz = await request(app).post('/fast/echo').type('form').set('Content-Encoding', 'gzip').send(gzipSync('a=1'));
      expect(gz.status).toBe(415);
      expect(gz.body.error).toBe('unsupported_media_type');
      const deflate = await request(app).post('/fast/echo').type('form').set('Content-Encoding', 'deflate').send('a=1');
      expect(deflate.status).toBe(415);
      expect(seen.handled).toEqual([]);
    });

    it('refuses a body over bodyLimit with 413 (raw-body\'s error, mapped by toOAuth2Error)', async () => {
      const res = await request(app).post('/fast/echo').type('form').send(`a=${'x'.repeat(BODY_LIMIT)}`);
      expect(res.status).toBe(413);
      expect(res.body.error).toBe('request_too_large');
      expect((seen.rendered[0] as { type?: string }).type).toBe('entity.too.large');
      expect(seen.handled).toEqual([]);
      // Exactly at the limit is fine.
      await request(app).post('/fast/echo').type('form').send(`a=${'x'.repeat(BODY_LIMIT - 2)}`).expect(201);
    });

    it('refuses a form of more than 1,000 parameters with 413, as body-parser does for Nest\'s routes', async () => {
      const form = (n: number) => Array.from({ length: n }, (_, i) => `k${i}=`).join('&');
      const big = express();
      big.use(fastRoutes([echo], { app: 'public', bodyLimit: 1 << 20, renderError }));
      const refused = await request(big).post('/fast/echo').type('form').send(form(1001));
      expect(refused.status).toBe(413);
      expect(refused.body.error).toBe('request_too_large');
      expect(seen.handled).toEqual([]);
      const accepted = await request(big).post('/fast/echo').type('form').send(form(1000));
      expect(accepted.status).toBe(201);
      expect(accepted.body.keys).toHaveLength(1000);
    });

    it('refuses a chunked body (no Content-Length) that grows over bodyLimit with 413', async () => {
      const server = app.listen(0, '127.0.0.1');
      await once(server, 'listening');
      try {
        const { port } = server.address() as AddressInfo;
        const status = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/fast/echo', headers: { 'Content-Type': FORM, 'Transfer-Encoding': 'chunked' } }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, body }));
          });
          req.on('error', reject);
          for (let i = 0; i < 8; i++) req.write(`a${i}=${'y'.repeat(60)}&`);
          req.end();
        });
        expect(status.status).toBe(413);
        expect(JSON.parse(status.body).error).toBe('request_too_large');
        expect(seen.handled).toEqual([]);
      } finally {
        server.close();
      }
    });

    it('is also usable directly: readFormBody rejects with OAuth2Errors for the media type and charset', async () => {
      const fake = (headers: Record<string, string>) => ({ headers }) as never;
      await expect(readFormBody(fake({ 'content-type': 'text/plain' }), 10)).rejects.toMatchObject({ error: 'invalid_request', statusCode: 400 });
      await expect(readFormBody(fake({ 'content-type': `${FORM}; charset=latin1` }), 10)).rejects.toMatchObject({ error: 'unsupported_media_type', statusCode: 415 });
      await expect(readFormBody(fake({ 'content-type': FORM, 'content-encoding': 'br' }), 10)).rejects.toMatchObject({ error: 'unsupported_media_type', statusCode: 415 });
    });
  });

  describe('metrics', () => {
    it('observes each request once, labelled with the route\'s path (never the alias or the query string)', async () => {
      const before = await durationCounts();
      const count = (key: string, counts: Map<string, number>) => counts.get(key) ?? 0;

      await request(app).post('/fast/metered').type('form').send('a=1').expect(200);
      await request(app).post('/fast/metered?secret=abc').type('form').send('a=1').expect(200);
      await request(app).post('/FAST/Metered/').type('form').send('a=1').expect(200);
      await request(app).post('/fast/metered').set('Content-Type', `${FORM}; charset=latin1`).send('a=1').expect(415);

      const after = await durationCounts();
      expect(count('public POST /fast/metered 200', after) - count('public POST /fast/metered 200', before)).toBe(3);
      expect(count('public POST /fast/metered 415', after) - count('public POST /fast/metered 415', before)).toBe(1);
      expect([...after.keys()].some((k) => /FAST|Metered|secret|\?/.test(k))).toBe(false);
    });

    it('observes nothing for requests that fall through', async () => {
      const before = await durationCounts();
      await request(app).get('/fast/metered').expect(404);
      await request(app).post('/fast/other').type('form').send('a=1').expect(404);
      const after = await durationCounts();
      expect(after).toEqual(before);
    });
  });
});
