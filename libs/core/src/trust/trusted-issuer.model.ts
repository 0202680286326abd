/**
 * An issuer whose JWTs the JWT bearer grant accepts (RFC 7523 §2.1, Hydra's trust relationship): signed
 * by one key, for one subject or any, for some scopes, until it expires. The key lives in the JWK set
 * named after the issuer.
 */
export interface TrustedIssuer {
  /** A UUID. */
  id: string;
  issuer: string;
  /** The one subject its assertions may name; '' when any subject is allowed. */
  subject: string;
  allowAnySubject: boolean;
  /** The scopes a token requested with its assertions may carry. */
  scopes: string[];
  /** The key's kid in the JWK set named `issuer`. */
  keyId: string;
  createdAt: Date;
  expiresAt: Date;
}
