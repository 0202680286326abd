import { Errors } from './error.catalogue';
import { OAuth2Error } from './oauth2.error';

/** The shape of an error the HTTP stack raises (body-parser, http-errors, Nest's HttpException). */
interface HttpLikeError {
  status?: number;
  statusCode?: number;
  type?: string;
  getStatus?: () => number;
  getResponse?: () => unknown;
}

/**
 * Turns anything thrown while serving a request into an OAuth2Error, so that each app's exception filter
 * renders one family only. Unknown errors become `server_error` with no internals exposed (the caller logs them).
 */
export function toOAuth2Error(thrown: unknown): OAuth2Error {
  if (thrown instanceof OAuth2Error) return thrown;
  const e = (thrown ?? {}) as HttpLikeError;

  // body-parser (through Express) tags its failures with a `type`.
  switch (e.type) {
    case 'entity.too.large':
      return Errors.payloadTooLarge();
    case 'entity.parse.failed':
      return Errors.invalidRequest().withHint('The request body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return Errors.unsupportedMediaType().withHint('The request body uses an unsupported encoding or charset.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return Errors.invalidRequest().withHint('The request body could not be read.');
  }

  const status = typeof e.getStatus === 'function' ? e.getStatus() : (e.status ?? e.statusCode);
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 404) return Errors.notFound().withHint('No route matches this method and path.');
    if (status === 405) return new OAuth2Error('method_not_allowed', 'The HTTP method is not allowed here.', 405);
    if (status === 413) return Errors.payloadTooLarge();
    if (status === 415) return Errors.unsupportedMediaType();
    return new OAuth2Error('invalid_request', Errors.invalidRequest().description, status);
  }
  return Errors.serverError();
}
