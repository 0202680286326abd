import { OAuth2Error } from '../errors';
import { parseMultipartForm } from './multipart-form';

const BOUNDARY = 'XyZ-boundary';
const headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

/** A multipart body of text fields (RFC 7578 §4), with extra part headers where a test needs them. */
function body(parts: Array<[name: string, value: string, extraHeaders?: string]>, close = true): Buffer {
  const chunks = parts.map(([name, value, extra]) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${extra ?? ''}\r\n\r\n${value}\r\n`);
  return Buffer.from(`${chunks.join('')}${close ? `--${BOUNDARY}--\r\n` : ''}`, 'utf8');
}

async function refusal(promise: Promise<unknown>): Promise<OAuth2Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OAuth2Error);
  expect((error as OAuth2Error).error).toBe('invalid_request');
  expect((error as OAuth2Error).statusCode).toBe(400);
  return error as OAuth2Error;
}

describe('parseMultipartForm (RFC 7578)', () => {
  it('reads text fields into the flat form the urlencoded reader yields, UTF-8 decoded', async () => {
    const form = await parseMultipartForm(body([['grant_type', 'client_credentials'], ['scope', 'read write'], ['name', 'Zoë €']]), headers);
    expect({ ...form }).toEqual({ grant_type: 'client_credentials', scope: 'read write', name: 'Zoë €' });
  });

  it('keeps a repeated name as an array, so that the endpoint can refuse it as RFC 6749 §3.2 asks', async () => {
    const form = await parseMultipartForm(body([['client_id', 'a'], ['client_id', 'b'], ['client_id', 'c']]), headers);
    expect(form.client_id).toEqual(['a', 'b', 'c']);
  });

  it('treats __proto__ and constructor as plain keys on a null-prototype object', async () => {
    const form = await parseMultipartForm(body([['__proto__', 'x'], ['constructor', 'y']]), headers);
    expect(Object.getPrototypeOf(form)).toBeNull();
    expect(Object.getOwnPropertyDescriptor(form, '__proto__')?.value).toBe('x');
    expect(form.constructor).toBe('y');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('refuses a file part: token requests carry text only', async () => {
    const error = await refusal(parseMultipartForm(body([['token', 'abc'], ['upload', 'data', '; filename="a.txt"\r\nContent-Type: text/plain']]), headers));
    expect(error.hint).toMatch(/file/);
  });

  it('refuses a body without a boundary, with a broken one, or cut short', async () => {
    await refusal(parseMultipartForm(body([['a', '1']]), { 'content-type': 'multipart/form-data' }));
    await refusal(parseMultipartForm(Buffer.from('--other\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--other--\r\n'), headers));
    await refusal(parseMultipartForm(body([['a', '1']], false), headers));
    await refusal(parseMultipartForm(Buffer.alloc(0), headers));
  });

  it('refuses more than 64 parts rather than reading them', async () => {
    const many = Array.from({ length: 65 }, (_, i): [string, string] => [`p${i}`, 'v']);
    const error = await refusal(parseMultipartForm(body(many), headers));
    expect(error.hint).toMatch(/64 parts/);
    await expect(parseMultipartForm(body(many.slice(0, 64)), headers)).resolves.toHaveProperty('p63', 'v');
  });

  it('refuses a field name longer than 100 bytes instead of truncating it into another name', async () => {
    await refusal(parseMultipartForm(body([[`client_secret${'x'.repeat(100)}`, 's']]), headers));
  });
});
