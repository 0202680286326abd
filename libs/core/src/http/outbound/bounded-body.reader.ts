import { IncomingMessage } from 'node:http';
import { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { OutboundFetchError } from './outbound-fetch.error';

/**
 * Reads a response body of at most `maxBytes`, counted after decompression, so that a small gzip bomb
 * cannot expand into memory: reading stops, and the socket is dropped, as soon as either the bytes on the
 * wire or the bytes they decode to pass the cap. An encoding it cannot decode fails the call.
 */
export async function readBoundedBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new OutboundFetchError(`the body declares ${declared} bytes, more than the ${maxBytes} allowed`);
  }
  const decoder = decoderFor(String(res.headers['content-encoding'] ?? 'identity'));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wire = 0;
    let decoded = 0;
    let settled = false;
    const fail = (e: Error) => {
      if (settled) return;
      settled = true;
      decoder?.destroy();
      res.destroy();
      reject(e instanceof OutboundFetchError ? e : new OutboundFetchError(`the body could not be read: ${e.message}`));
    };
    const tooLarge = () => fail(new OutboundFetchError(`the body is larger than the ${maxBytes} bytes allowed`));
    res.on('data', (chunk: Buffer) => {
      wire += chunk.length;
      if (wire > maxBytes) tooLarge();
    });
    res.on('error', fail);
    res.on('close', () => {
      if (!res.complete) fail(new OutboundFetchError('the connection closed before the body ended'));
    });
    const output = decoder ? res.pipe(decoder) : res;
    if (decoder) decoder.on('error', fail);
    output.on('data', (chunk: Buffer) => {
      if (settled) return;
      decoded += chunk.length;
      if (decoded > maxBytes) return tooLarge();
      chunks.push(chunk);
    });
    output.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks));
    });
  });
}

/** RFC 9110 §8.4.1: the codings Node can decode; `identity` (or none) needs no decoder. */
function decoderFor(encoding: string): Transform | undefined {
  switch (encoding.trim().toLowerCase()) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new OutboundFetchError(`the body has the content encoding "${encoding}", which cannot be decoded`);
  }
}
