import type { IncomingHttpHeaders } from 'node:http';
import busboy from 'busboy';
import { Errors } from '../errors';

/** More parameters than any OAuth request has; a form with more is refused rather than parsed. */
const MAX_PARTS = 64;

/** Far longer than any parameter name; a longer one is refused (busboy applies no such limit to multipart names). */
const MAX_NAME_BYTES = 100;

type Form = Record<string, string | string[]>;

/**
 * Parses a `multipart/form-data` body (RFC 7578) that is already read whole (so the body limit has been
 * applied) into the same flat form the urlencoded reader yields: text fields only, in UTF-8, a repeated
 * name as an array, keys on a null-prototype object. Fluxer's clients send their token, introspection and
 * revocation requests this way. A part that is a file, a truncated name or value, too many parts, or a body
 * busboy cannot read is `invalid_request`.
 */
export function parseMultipartForm(body: Buffer, headers: IncomingHttpHeaders): Promise<Form> {
  return new Promise((resolve, reject) => {
    const malformed = (hint: string) => reject(Errors.invalidRequest().withHint(hint));
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        defCharset: 'utf8',
        // busboy signals `partsLimit` once the count reaches the limit: one more than we accept.
        limits: { fieldSize: body.length, parts: MAX_PARTS + 1, files: 0 },
      });
    } catch {
      malformed('The multipart/form-data body has no valid boundary.');
      return;
    }
    const form: Form = Object.create(null) as Form;
    let failed = false;
    const fail = (hint: string) => {
      if (failed) return;
      failed = true;
      malformed(hint);
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || Buffer.byteLength(name) > MAX_NAME_BYTES) return fail('A multipart/form-data field name or value is too long.');
      const existing = form[name];
      form[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    });
    parser.on('file', (_name, stream) => {
      stream.resume();
      fail('The multipart/form-data body holds a file; only text fields are accepted.');
    });
    parser.on('filesLimit', () => fail('The multipart/form-data body holds a file; only text fields are accepted.'));
    parser.on('partsLimit', () => fail(`The multipart/form-data body has more than ${MAX_PARTS} parts.`));
    parser.on('error', () => fail('The multipart/form-data body is malformed.'));
    parser.on('close', () => {
      if (!failed) resolve(form);
    });
    parser.end(body);
  });
}
