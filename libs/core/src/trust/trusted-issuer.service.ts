import { randomUUID } from 'node:crypto';
import { Errors } from '../errors';
import { importOperatorJwk, JsonWebKeyInput } from '../keys/jwk-import';
import { JwkStore } from '../keys/jwk.store';
import type { TransactionRunner } from '../persistence/transaction.runner';
import { TrustedIssuer } from './trusted-issuer.model';
import { TrustedIssuerStore } from './trusted-issuer.store';

/** Hydra's TrustOAuth2JwtGrantIssuer body, members not yet checked. */
export interface TrustRequest {
  issuer?: string;
  subject?: string;
  allow_any_subject?: boolean;
  scope?: string[];
  jwk?: JsonWebKeyInput;
  expires_at?: string;
}

export interface TrustPage {
  trusts: TrustedIssuer[];
  /** Token of the next page, or undefined on the last one. */
  nextPageToken?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The trust API (Hydra's trustOAuth2JwtGrantIssuer and friends): which issuers' JWTs the JWT bearer grant
 * accepts. A trust's public key is kept in the JWK set named after its issuer, where the keys API shows
 * it; trusts of one issuer that name the same kid share it, and it goes with the last of them.
 */
export class TrustedIssuerService {
  constructor(
    private readonly trusts: TrustedIssuerStore,
    private readonly keys: JwkStore,
    private readonly transactions: TransactionRunner,
  ) {}

  async create(request: TrustRequest): Promise<TrustedIssuer> {
    const { issuer, subject, allowAnySubject, expiresAt } = checkRequest(request);
    const scopes = request.scope ?? [];
    const key = await importOperatorJwk({ ...request.jwk, alg: request.jwk!.alg ?? inferredAlg(request.jwk!) });
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const trust: TrustedIssuer = { id: randomUUID(), issuer, subject, allowAnySubject, scopes, keyId: key.kid, createdAt: now, expiresAt };
    await this.transactions.run(async () => {
      const stored = await this.keys.findKey(issuer, key.kid);
      if (stored && !samePublicKey(stored.publicJwk, key.publicJwk as Record<string, unknown>)) {
        throw Errors.conflict().withHint(`Issuer "${issuer}" already has another key with kid "${key.kid}".`);
      }
      if (!stored) {
        await this.keys.insert({ setId: issuer, kid: key.kid, alg: key.alg, use: key.use, publicJwk: key.publicJwk as Record<string, unknown>, privateJwkJwe: null, createdAt: now });
      }
      await this.trusts.insert(trust);
    });
    return trust;
  }

  async get(id: string): Promise<TrustedIssuer> {
    if (!UUID.test(id)) throw Errors.invalidRequest().withHint('A trust relationship\'s id is a UUID.');
    const trust = await this.trusts.findById(id);
    if (!trust) throw Errors.notFound().withHint(`There is no trust relationship with id "${id}".`);
    return trust;
  }

  async list(query: { issuer?: string; pageSize: number; pageToken?: string }): Promise<TrustPage> {
    if (query.pageToken !== undefined && !UUID.test(query.pageToken)) throw Errors.invalidRequest().withHint('The "page_token" is invalid.');
    const found = await this.trusts.find({ issuer: query.issuer, afterId: query.pageToken, limit: query.pageSize + 1 });
    const trusts = found.slice(0, query.pageSize);
    return { trusts, nextPageToken: found.length > query.pageSize ? trusts[trusts.length - 1].id : undefined };
  }

  /** Deletes the trust, and its key unless another trust of the issuer uses it. */
  async delete(id: string): Promise<void> {
    const trust = await this.get(id);
    await this.transactions.run(async () => {
      if (!(await this.trusts.delete(trust.id))) throw Errors.notFound().withHint(`There is no trust relationship with id "${id}".`);
      await this.deleteKeyIfUnused(trust);
    });
  }

  /** Deletes up to `batchSize` trusts that expired before `before`, with keys no other trust uses; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number> {
    return this.transactions.run(async () => {
      let deleted = 0;
      for (const trust of await this.trusts.findExpired(before, batchSize)) {
        if (!(await this.trusts.delete(trust.id))) continue;
        await this.deleteKeyIfUnused(trust);
        deleted++;
      }
      return deleted;
    });
  }

  private async deleteKeyIfUnused(trust: TrustedIssuer): Promise<void> {
    if ((await this.trusts.countUsingKey(trust.issuer, trust.keyId)) === 0) await this.keys.deleteKey(trust.issuer, trust.keyId);
  }
}

/** Hydra's checks of a trust request (missing_required_parameter), then what Hydrant adds (a past expires_at). */
function checkRequest(request: TrustRequest): { issuer: string; subject: string; allowAnySubject: boolean; expiresAt: Date } {
  const missing = (hint: string) => Errors.missingRequiredParameter().withHint(hint);
  if (!request.issuer) throw missing('Field "issuer" is required.');
  const allowAnySubject = request.allow_any_subject === true;
  if (allowAnySubject && request.subject) throw missing('Only one of "subject" and "allow_any_subject" may be set.');
  if (!allowAnySubject && !request.subject) throw missing('One of "subject" and "allow_any_subject" must be set.');
  if (!request.expires_at) throw missing('Field "expires_at" is required.');
  if (!request.jwk) throw missing('Field "jwk" is required.');
  if (!request.jwk.kid) throw missing('Field "jwk" must have a "kid".');
  const badScope = (request.scope ?? []).find((s) => !/^[\x21\x23-\x5B\x5D-\x7E]+$/.test(s));
  if (badScope !== undefined) throw Errors.invalidRequest().withHint(`Scope "${badScope}" is not a scope token (RFC 6749 §3.3).`);
  const expiresAt = new Date(request.expires_at);
  if (Number.isNaN(expiresAt.getTime())) throw Errors.invalidRequest().withHint('Field "expires_at" must be an RFC 3339 date-time.');
  if (expiresAt.getTime() <= Date.now()) throw Errors.invalidRequest().withHint('Field "expires_at" must be in the future.');
  return { issuer: request.issuer, subject: allowAnySubject ? '' : request.subject!, allowAnySubject, expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000) };
}

/** The algorithm a key without `alg` is for: what its type and curve allow (RFC 7518 §3.1, RFC 8037). */
function inferredAlg(jwk: JsonWebKeyInput): string | undefined {
  if (jwk.kty === 'RSA') return 'RS256';
  if (jwk.kty === 'EC') return ({ 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' } as Record<string, string>)[jwk.crv ?? ''];
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  return undefined;
}

function samePublicKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return ['kty', 'crv', 'x', 'y', 'n', 'e'].every((m) => a[m] === b[m]);
}
