import type { IncomingMessage } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import express, { RequestHandler } from 'express';
import getRawBody from 'raw-body';
import { Errors } from '../errors';
import { parseMultipartForm } from './multipart-form';

const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
/** As many parameters as body-parser lets Nest's routes read; no OAuth request comes near it. */
const MAX_FORM_KEYS = 1000;
const MULTIPART_MEDIA_TYPE = 'multipart/form-data';

const notAForm = () => Errors.invalidRequest().withHint('The request body must be application/x-www-form-urlencoded.');
const notAFormOrMultipart = () => Errors.invalidRequest().withHint('The request body must be application/x-www-form-urlencoded or multipart/form-data.');

/**
 * The parser of `application/x-www-form-urlencoded` bodies (OAuth 2.0's request format) for Nest's routes:
 * flat (a repeated key becomes an array, which the endpoints refuse where RFC 6749 says a parameter appears
 * once), up to `limit` bytes and MAX_FORM_KEYS parameters (413 beyond). Other media types pass untouched.
 */
export function formBodyParser(limit: number): RequestHandler {
  return express.urlencoded({ limit, extended: false, parameterLimit: MAX_FORM_KEYS });
}

/**
 * Reads and parses a form body for the fast routes (fast-routes.ts), as formBodyParser does for Nest's:
 * the same media type rule, UTF-8 only (415 otherwise), no content coding (415), at most `limit` bytes
 * (413), and repeated keys as arrays. With `multipart`, a `multipart/form-data` body is read too, into the
 * same shape. Errors are OAuth2Errors, or raw-body's own, which toOAuth2Error maps.
 */
export async function readFormBody(req: IncomingMessage, limit: number, options: { multipart?: boolean } = {}): Promise<Record<string, string | string[]>> {
  const [mediaType, ...parameters] = (req.headers['content-type'] ?? '').split(';');
  const media = mediaType.trim().toLowerCase();
  const multipart = options.multipart === true && media === MULTIPART_MEDIA_TYPE;
  if (media !== FORM_MEDIA_TYPE && !multipart) {
    throw options.multipart ? notAFormOrMultipart() : notAForm();
  }
  const charset = parameters.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw Errors.unsupportedMediaType().withHint(`The charset "${charset}" is not supported; send UTF-8.`);
  }
  const coding = req.headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') {
    throw Errors.unsupportedMediaType().withHint(`The content encoding "${coding}" is not supported.`);
  }
  const body = await getRawBody(req, { limit, length: req.headers['content-length'] });
  if (multipart) return parseMultipartForm(body, req.headers);
  // A null-prototype object: a `__proto__` or `constructor` key is a plain key. UTF-8 is decoded once the
  // whole body is in (raw-body's own decoding would set up an iconv-lite decoder for every request).
  const form = parseQueryString(body.toString('utf8'), '&', '=', { maxKeys: MAX_FORM_KEYS + 1 }) as Record<string, string | string[]>;
  // Parsing stops one key past the limit, so a form of 60,000 keys costs no more than one of 1,001.
  if (Object.keys(form).length > MAX_FORM_KEYS) throw Errors.payloadTooLarge().withHint(`The form has more than ${MAX_FORM_KEYS} parameters.`);
  return form;
}
