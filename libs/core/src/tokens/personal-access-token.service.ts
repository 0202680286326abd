import { randomUUID } from 'node:crypto';
import { HydrantConfig } from '../config/hydrant.config';
import { Errors } from '../errors';
import { scopeFromJson } from '../scopes/scope.strategy';
import { OpaqueTokenCodec } from './opaque-token.codec';
import { CreatePersonalAccessTokenDto } from './personal-access-token.dto';
import { PersonalAccessToken, PersonalAccessTokenStore } from './personal-access-token.store';

/** The latest expiry a token may have: the end of year 9999, as far as every driver and format can go. */
const LATEST_EXPIRY_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/** A token as the admin API shows it; the token itself only in the answer that issues it. */
export function presentPersonalAccessToken(pat: PersonalAccessToken, token?: string): Record<string, unknown> {
  return {
    id: pat.id,
    ...(token !== undefined ? { token } : {}),
    subject: pat.subject,
    name: pat.name,
    scope: pat.scopes.join(' '),
    expires_at: pat.expiresAt.toISOString(),
    created_at: pat.createdAt.toISOString(),
  };
}

/**
 * Personal access tokens (Spatio's PATs) on the admin API: an operator issues one for a subject, lists a
 * subject's tokens (never the tokens themselves) and deletes them. Issued tokens are opaque HMAC tokens
 * with their own prefix (`hy_pat_`), stored by signature; they work as bearer tokens of their subject at
 * userinfo and introspection until deleted or expired (TokenResolver).
 */
export class PersonalAccessTokenService {
  constructor(
    private readonly pats: PersonalAccessTokenStore,
    private readonly codec: OpaqueTokenCodec,
    private readonly config: HydrantConfig,
  ) {}

  async issue(input: CreatePersonalAccessTokenDto): Promise<Record<string, unknown>> {
    const now = new Date();
    const minted = this.codec.mint('personal_access_token', now.getTime());
    const pat: PersonalAccessToken = {
      id: randomUUID(),
      signature: minted.signature,
      subject: input.subject,
      name: input.name ?? '',
      scopes: input.scope === undefined || input.scope === null ? [] : scopeFromJson(input.scope, 'scope'),
      createdAt: now,
      expiresAt: this.expiry(input.expires_at, now),
    };
    await this.pats.insert(pat);
    return presentPersonalAccessToken(pat, minted.token);
  }

  async list(subject: string | undefined): Promise<Array<Record<string, unknown>>> {
    if (!subject) throw Errors.invalidRequest().withHint('The "subject" parameter is required.');
    return (await this.pats.findBySubject(subject)).map((pat) => presentPersonalAccessToken(pat));
  }

  /** Deletes a token: from now on it is unknown everywhere. */
  async delete(id: string): Promise<void> {
    if (!(await this.pats.delete(id))) throw Errors.notFound().withHint(`The personal access token "${id}" does not exist.`);
  }

  private expiry(value: unknown, now: Date): Date {
    if (value === undefined || value === null) return new Date(now.getTime() + this.config.ttlPersonalAccessToken);
    const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
    if (!Number.isFinite(ms)) throw Errors.invalidRequest().withHint('Field "expires_at" must be an RFC 3339 time or a number of seconds since the epoch.');
    if (ms <= now.getTime()) throw Errors.invalidRequest().withHint('Field "expires_at" must lie in the future.');
    if (ms > LATEST_EXPIRY_MS) throw Errors.invalidRequest().withHint('Field "expires_at" lies too far in the future.');
    return new Date(ms);
  }
}
