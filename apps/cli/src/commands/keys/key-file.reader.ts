import { createPrivateKey, createPublicKey, KeyObject, randomUUID } from 'node:crypto';
import { CliError } from '../../remote/cli.error';
import { readInput } from '../../remote/read-input';
import { JwkDocument } from './jwk.output';

/** The algorithm a key of this type signs with when neither the key nor --alg names one. */
function defaultAlg(key: JwkDocument): string | undefined {
  if (key.kty === 'RSA') return 'RS256';
  if (key.kty === 'OKP' && key.crv === 'Ed25519') return 'EdDSA';
  return ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as Record<string, string>)[String(key.crv)];
}

function fromKeyObject(key: KeyObject): JwkDocument {
  return key.export({ format: 'jwk' }) as JwkDocument;
}

/** A DER key: PKCS#8 or PKCS#1 private, else SPKI or PKCS#1 public. */
function fromDer(der: Buffer): JwkDocument | undefined {
  const attempts: Array<() => KeyObject> = [
    () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
    () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }),
    () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
    () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
  ];
  for (const attempt of attempts) {
    try {
      return fromKeyObject(attempt());
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

/** The keys of a file: a JWK, a JWK Set, a PEM key or a DER key. */
function keysIn(path: string, bytes: Buffer): JwkDocument[] {
  const text = bytes.toString('utf8').trim();
  if (text.startsWith('{')) {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (e) {
      throw new CliError(`${path} is not JSON: ${(e as Error).message}`);
    }
    const keys = Array.isArray((document as { keys?: unknown }).keys) ? (document as { keys: unknown[] }).keys : [document];
    if (!keys.every((k) => typeof k === 'object' && k !== null && typeof (k as JwkDocument).kty === 'string')) throw new CliError(`${path}: not a JSON Web Key or Key Set`);
    return keys as JwkDocument[];
  }
  if (text.startsWith('-----BEGIN')) {
    try {
      return [fromKeyObject(/PRIVATE KEY-----/.test(text) ? createPrivateKey(text) : createPublicKey(text))];
    } catch (e) {
      throw new CliError(`${path}: not a PEM key this command can read: ${(e as Error).message}`);
    }
  }
  const key = fromDer(bytes);
  if (!key) throw new CliError(`${path}: neither a JSON Web Key, a PEM key nor a DER key`);
  return [key];
}

/**
 * The keys of `hydrant import jwk` files as JSON Web Keys ready to store: `alg` and `use` set from the
 * flags where the key names none (the alg from the key's type without a flag), and a UUID `kid` where
 * it has none.
 */
export function readKeyFiles(paths: string[], defaults: { alg?: string; use: string }): JwkDocument[] {
  return paths.flatMap((path) =>
    keysIn(path, readInput(path)).map((key) => {
      const alg = key.alg ?? defaults.alg ?? defaultAlg(key);
      if (!alg) throw new CliError(`${path}: cannot tell the key's algorithm; pass --alg`);
      return { ...key, alg, use: key.use ?? defaults.use, kid: key.kid ?? randomUUID() };
    }),
  );
}
