import { TrustedIssuer } from './trusted-issuer.model';

/** Hydra's TrustedOAuth2JwtGrantIssuer: times in UTC to the second, the key named by its set and kid. */
export function presentTrustedIssuer(trust: TrustedIssuer) {
  return {
    id: trust.id,
    issuer: trust.issuer,
    subject: trust.subject,
    allow_any_subject: trust.allowAnySubject,
    scope: trust.scopes,
    public_key: { set: trust.issuer, kid: trust.keyId },
    created_at: toSeconds(trust.createdAt),
    expires_at: toSeconds(trust.expiresAt),
  };
}

const toSeconds = (time: Date): string => time.toISOString().replace(/\.\d{3}Z$/, 'Z');
