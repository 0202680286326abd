import { CompactSign, compactVerify, importJWK, JWK } from 'jose';
import { Errors } from '../errors';
import { GENERATABLE_ALGS, GeneratableAlg } from './key-sets';

/** A JSON Web Key as an operator sends it (PUT /admin/keys/...): members not yet checked. */
export interface JsonWebKeyInput {
  kty?: string;
  kid?: string;
  alg?: string;
  use?: string;
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  x5c?: string[];
  x5t?: string;
  'x5t#S256'?: string;
  x5u?: string;
}

/** A key that passed every check, split into what may be published and what is kept encrypted. */
export interface ImportedJwk {
  kid: string;
  alg: GeneratableAlg;
  use: 'sig' | 'enc';
  publicJwk: JWK;
  privateJwk: JWK | null;
}

/** Members that describe the public key (RFC 7517 §4, RFC 7518 §6); anything else a caller sends is dropped. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'x5c', 'x5t', 'x5t#S256', 'x5u'] as const;
/** Members that only a private key has (RFC 7518 §6.2.2, §6.3.2, RFC 8037 §2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi'] as const;
const MAX_KID_LENGTH = 255;
const MIN_RSA_BITS = 2048;

/**
 * Checks an operator's key the way jose will later use it: it must import for its `alg`, and when it
 * carries a private part, a signature made with it must verify with its public part (so that a private
 * key pasted next to someone else's public key cannot make tokens that nobody can verify).
 * `pathKid` is the kid of PUT /admin/keys/{set}/{kid}, which the body must not contradict.
 */
export async function importOperatorJwk(input: JsonWebKeyInput, pathKid?: string): Promise<ImportedJwk> {
  const kid = input.kid ?? pathKid;
  if (typeof kid !== 'string' || kid.length === 0) throw malformed('Every key needs a "kid".');
  if (kid.length > MAX_KID_LENGTH) throw malformed(`A "kid" may have at most ${MAX_KID_LENGTH} characters.`);
  if (pathKid !== undefined && kid !== pathKid) {
    throw malformed(`The "kid" of the key ("${kid}") does not match the "kid" in the path ("${pathKid}").`);
  }
  const alg = input.alg;
  if (!GENERATABLE_ALGS.includes(alg as GeneratableAlg)) {
    throw malformed(`The "alg" of key "${kid}" must be one of ${GENERATABLE_ALGS.join(', ')}.`);
  }
  const use = input.use ?? 'sig';
  if (use !== 'sig' && use !== 'enc') throw malformed(`The "use" of key "${kid}" must be "sig" or "enc".`);
  const meta = { kid, alg: alg as GeneratableAlg, use: use as 'sig' | 'enc' };

  const publicJwk = { ...pick(input, PUBLIC_MEMBERS), ...meta } as JWK;
  const hasPrivate = PRIVATE_MEMBERS.some((m) => input[m] !== undefined);
  const privateJwk = hasPrivate ? ({ ...pick(input, [...PUBLIC_MEMBERS, ...PRIVATE_MEMBERS]), ...meta } as JWK) : null;
  if (publicJwk.kty === 'RSA' && typeof publicJwk.n === 'string' && Buffer.from(publicJwk.n, 'base64url').length * 8 < MIN_RSA_BITS) {
    // jose refuses to sign or verify with such a key; refuse it here rather than when a token meets it.
    throw malformed(`Key "${kid}" is an RSA key shorter than ${MIN_RSA_BITS} bits.`);
  }
  try {
    const publicKey = await importJWK(publicJwk, meta.alg);
    if (privateJwk) {
      const probe = await new CompactSign(new TextEncoder().encode(kid)).setProtectedHeader({ alg: meta.alg }).sign(await importJWK(privateJwk, meta.alg));
      await compactVerify(probe, publicKey);
    }
  } catch (e) {
    throw malformed(`Key "${kid}" is not a valid ${meta.alg} key.`).withDebug(e instanceof Error ? e.message : String(e));
  }
  return { ...meta, publicJwk, privateJwk };
}

function pick(input: JsonWebKeyInput, members: readonly string[]): Record<string, unknown> {
  const given = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const m of members) if (given[m] !== undefined) out[m] = given[m];
  return out;
}

const malformed = (hint: string) => Errors.invalidRequest().withHint(hint);
