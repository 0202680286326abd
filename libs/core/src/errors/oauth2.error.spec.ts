import { Errors } from './error.catalogue';
import { OAuth2Error } from './oauth2.error';

describe('OAuth2Error', () => {
  it('carries the code, description, status, hint and debug text', () => {
    const e = new OAuth2Error('invalid_request', 'The request is malformed.', 400, { hint: 'Field "x" is missing.', debug: 'stack' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('OAuth2Error');
    expect(e.error).toBe('invalid_request');
    expect(e.description).toBe('The request is malformed.');
    expect(e.statusCode).toBe(400);
    expect(e.hint).toBe('Field "x" is missing.');
    expect(e.debug).toBe('stack');
    expect(e.message).toBe('The request is malformed. Field "x" is missing.');
  });

  it('has no hint or debug text unless given', () => {
    const e = new OAuth2Error('not_found', 'Unable to locate the resource.', 404);
    expect(e.hint).toBeUndefined();
    expect(e.debug).toBeUndefined();
    expect(e.message).toBe('Unable to locate the resource.');
  });

  describe('withHint', () => {
    it('returns a copy with the hint and leaves the original alone', () => {
      const original = Errors.invalidRequest();
      const hinted = original.withHint('The "scope" parameter is malformed.');
      expect(hinted).not.toBe(original);
      expect(hinted).toBeInstanceOf(OAuth2Error);
      expect(hinted.hint).toBe('The "scope" parameter is malformed.');
      expect(hinted.error).toBe(original.error);
      expect(hinted.description).toBe(original.description);
      expect(hinted.statusCode).toBe(original.statusCode);
      expect(hinted.message).toBe(`${original.description} The "scope" parameter is malformed.`);
      expect(original.hint).toBeUndefined();
      expect(original.message).toBe(original.description);
    });

    it('replaces an earlier hint and keeps the debug text', () => {
      const first = Errors.invalidGrant().withDebug('row 42').withHint('first');
      const second = first.withHint('second');
      expect(second.hint).toBe('second');
      expect(second.debug).toBe('row 42');
      expect(first.hint).toBe('first');
    });
  });

  describe('withDebug', () => {
    it('returns a copy with the debug text and leaves the original alone', () => {
      const original = Errors.serverError().withHint('Try again.');
      const debugged = original.withDebug('SQLITE_BUSY: database is locked');
      expect(debugged).not.toBe(original);
      expect(debugged.debug).toBe('SQLITE_BUSY: database is locked');
      expect(debugged.hint).toBe('Try again.');
      expect(debugged.statusCode).toBe(500);
      expect(original.debug).toBeUndefined();
    });

    it('keeps the debug text out of the message and the description', () => {
      const e = Errors.serverError().withDebug('password=hunter2');
      expect(e.message).not.toContain('hunter2');
      expect(e.fullDescription).not.toContain('hunter2');
    });
  });

  describe('fullDescription', () => {
    it('is the description alone without a hint', () => {
      const e = Errors.invalidScope();
      expect(e.fullDescription).toBe('The requested scope is invalid, unknown, or malformed.');
    });

    it('is the description followed by the hint', () => {
      const e = Errors.invalidScope().withHint('Scope "admin" is not allowed for this client.');
      expect(e.fullDescription).toBe('The requested scope is invalid, unknown, or malformed. Scope "admin" is not allowed for this client.');
    });
  });
});

describe('Errors', () => {
  it.each<[keyof typeof Errors, string, number]>([
    ['invalidRequest', 'invalid_request', 400],
    ['invalidClient', 'invalid_client', 401],
    ['invalidGrant', 'invalid_grant', 400],
    ['unauthorizedClient', 'unauthorized_client', 400],
    ['unsupportedGrantType', 'unsupported_grant_type', 400],
    ['invalidScope', 'invalid_scope', 400],
    ['accessDenied', 'access_denied', 403],
    ['invalidToken', 'invalid_token', 401],
    ['invalidClientMetadata', 'invalid_client_metadata', 400],
    ['invalidRedirectUri', 'invalid_redirect_uri', 400],
    ['notFound', 'not_found', 404],
    ['conflict', 'conflict', 409],
    ['payloadTooLarge', 'request_too_large', 413],
    ['unsupportedMediaType', 'unsupported_media_type', 415],
    ['tooManyRequests', 'too_many_requests', 429],
    ['serverError', 'server_error', 500],
    ['temporarilyUnavailable', 'temporarily_unavailable', 503],
  ])('%s is %s with status %d', (factory, code, status) => {
    const e = Errors[factory]();
    expect(e).toBeInstanceOf(OAuth2Error);
    expect(e.error).toBe(code);
    expect(e.statusCode).toBe(status);
    expect(e.description.length).toBeGreaterThan(0);
    expect(e.hint).toBeUndefined();
  });

  it('makes a new error on every call, so that a hint never leaks into another request', () => {
    const a = Errors.invalidRequest();
    const b = Errors.invalidRequest();
    expect(a).not.toBe(b);
    a.withHint('only for a');
    expect(Errors.invalidRequest().hint).toBeUndefined();
  });
});
