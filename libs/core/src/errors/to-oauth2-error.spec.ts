import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Errors } from './error.catalogue';
import { OAuth2Error } from './oauth2.error';
import { toOAuth2Error } from './to-oauth2-error';

/** An error shaped as body-parser raises it (through http-errors). */
function bodyParserError(type: string, status: number, message: string): Error {
  return Object.assign(new Error(message), { type, status, statusCode: status, expose: true });
}

describe('toOAuth2Error', () => {
  it('passes an OAuth2Error through unchanged', () => {
    const e = Errors.invalidGrant().withHint('The code was used already.').withDebug('row 7');
    expect(toOAuth2Error(e)).toBe(e);
  });

  describe('body-parser errors', () => {
    it('maps entity.too.large to 413', () => {
      const e = toOAuth2Error(bodyParserError('entity.too.large', 413, 'request entity too large'));
      expect(e.statusCode).toBe(413);
      expect(e.error).toBe('request_too_large');
    });

    it('maps entity.parse.failed to 400 invalid_request, without the parser\'s message', () => {
      const e = toOAuth2Error(bodyParserError('entity.parse.failed', 400, 'Unexpected token s in JSON at position 7: {"secret'));
      expect(e.statusCode).toBe(400);
      expect(e.error).toBe('invalid_request');
      expect(e.hint).toMatch(/not valid JSON/);
      expect(e.fullDescription).not.toContain('Unexpected token');
      expect(e.debug).toBeUndefined();
    });

    it.each(['encoding.unsupported', 'charset.unsupported'])('maps %s to 415', (type) => {
      const e = toOAuth2Error(bodyParserError(type, 415, 'unsupported charset "UTF-7"'));
      expect(e.statusCode).toBe(415);
      expect(e.error).toBe('unsupported_media_type');
    });

    it.each(['request.aborted', 'request.size.invalid', 'stream.encoding.set'])('maps %s to 400 invalid_request', (type) => {
      const e = toOAuth2Error(bodyParserError(type, 400, 'request aborted'));
      expect(e.statusCode).toBe(400);
      expect(e.error).toBe('invalid_request');
      expect(e.hint).toMatch(/could not be read/);
    });
  });

  describe('Nest HttpExceptions', () => {
    it('maps 404 to not_found', () => {
      const e = toOAuth2Error(new NotFoundException('Cannot GET /nowhere'));
      expect(e.statusCode).toBe(404);
      expect(e.error).toBe('not_found');
      expect(e.fullDescription).not.toContain('/nowhere');
    });

    it('maps 405 to method_not_allowed', () => {
      const e = toOAuth2Error(new MethodNotAllowedException());
      expect(e.statusCode).toBe(405);
      expect(e.error).toBe('method_not_allowed');
    });

    it('maps 400 to invalid_request', () => {
      const e = toOAuth2Error(new BadRequestException('internal validation detail'));
      expect(e.statusCode).toBe(400);
      expect(e.error).toBe('invalid_request');
      expect(e.fullDescription).not.toContain('internal validation detail');
    });

    it('maps 413 and 415 to their own codes', () => {
      expect(toOAuth2Error(new PayloadTooLargeException())).toMatchObject({ statusCode: 413, error: 'request_too_large' });
      expect(toOAuth2Error(new UnsupportedMediaTypeException())).toMatchObject({ statusCode: 415, error: 'unsupported_media_type' });
    });

    it('keeps the status of another client error', () => {
      const e = toOAuth2Error(new ForbiddenException());
      expect(e.statusCode).toBe(403);
      expect(e.error).toBe('invalid_request');
    });

    it('takes the status from getStatus()', () => {
      const e = toOAuth2Error(new HttpException('teapot', 418));
      expect(e.statusCode).toBe(418);
    });

    it.each([new InternalServerErrorException('db down'), new ServiceUnavailableException('db down')])(
      'maps a server-side HttpException (%p) to server_error',
      (thrown) => {
        const e = toOAuth2Error(thrown);
        expect(e.statusCode).toBe(500);
        expect(e.error).toBe('server_error');
      },
    );
  });

  describe('http-errors style errors', () => {
    it('reads status', () => {
      expect(toOAuth2Error(Object.assign(new Error('x'), { status: 404 }))).toMatchObject({ statusCode: 404, error: 'not_found' });
    });

    it('reads statusCode', () => {
      expect(toOAuth2Error(Object.assign(new Error('x'), { statusCode: 405 }))).toMatchObject({ statusCode: 405, error: 'method_not_allowed' });
    });
  });

  describe('unknown errors', () => {
    it.each<[string, unknown]>([
      ['an Error', new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2')],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'hunter2')")],
      ['a string', 'hunter2'],
      ['null', null],
      ['undefined', undefined],
      ['a number', 42],
      ['an error with a non-numeric status', Object.assign(new Error('hunter2'), { status: '400' })],
      ['an error with a success status', Object.assign(new Error('hunter2'), { status: 200 })],
    ])('turn %s into 500 server_error without internals', (_, thrown) => {
      const e = toOAuth2Error(thrown);
      expect(e).toBeInstanceOf(OAuth2Error);
      expect(e.statusCode).toBe(500);
      expect(e.error).toBe('server_error');
      expect(e.hint).toBeUndefined();
      expect(e.debug).toBeUndefined();
      expect(e.fullDescription).toBe(Errors.serverError().description);
      expect(e.message).not.toContain('hunter2');
    });
  });
});
