import type { Request, Response } from 'express';
import { inMemoryCore } from '@hydrant/core/testing/in-memory-core';
import { addClient, basicAuthorization } from '@hydrant/core/testing/oauth2-spec.fixtures';
import { oauth2ErrorAnswer } from '../oauth2-exception.filter';
import { tokenRoute } from './token.route';

/** RFC 6749 §5.1 and §5.2: token responses, and errors from the token endpoint, are never cached. */
describe('tokenRoute', () => {
  it('answers tokens with Cache-Control: no-store and Pragma: no-cache', async () => {
    const env = await inMemoryCore();
    const { secret } = await addClient(env, 'service', { metadata: { grant_types: ['client_credentials'] } });
    const req = { headers: { authorization: basicAuthorization('service', secret) }, ip: '192.0.2.1' } as unknown as Request;
    const answer = await tokenRoute(env.core.token, env.core.cors).handle({ grant_type: 'client_credentials' }, req, {} as Response);
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    expect(answer.body).toMatchObject({ token_type: 'bearer' });
  });

  it('answers its errors with no-store too, and the Basic challenge to a client that used Basic (RFC 6749 §5.2)', async () => {
    const env = await inMemoryCore();
    await addClient(env, 'service', { metadata: { grant_types: ['client_credentials'] } });
    const req = { headers: { authorization: basicAuthorization('service', 'wrong') }, ip: '192.0.2.1' } as unknown as Request;
    const thrown = await tokenRoute(env.core.token, env.core.cors).handle({ grant_type: 'client_credentials' }, req, {} as Response).catch((e: unknown) => e);
    const answer = oauth2ErrorAnswer(thrown, req, env.config, env.runtime.logger);
    expect(answer).toMatchObject({
      status: 401,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache', 'WWW-Authenticate': 'Basic realm="hydrant"' },
      body: { error: 'invalid_client' },
    });
  });
});
