import { TrustedIssuer } from './trusted-issuer.model';

export interface TrustedIssuerQuery {
  issuer?: string;
  /** Keyset paging: only trusts whose id sorts after this one. */
  afterId?: string;
  limit: number;
}

/** What the trust API and the JWT bearer grant need from storage. */
export interface TrustedIssuerStore {
  /** Adds a trust; one for the same issuer, subject and kid is a 409 conflict. */
  insert(trust: TrustedIssuer): Promise<void>;
  findById(id: string): Promise<TrustedIssuer | null>;
  /** Trusts in id order. */
  find(query: TrustedIssuerQuery): Promise<TrustedIssuer[]>;
  /** The trusts of `issuer` that allow `subject` (named, or any subject), expired ones included. */
  findForAssertion(issuer: string, subject: string): Promise<TrustedIssuer[]>;
  /** How many trusts of `issuer` use the key `keyId`. */
  countUsingKey(issuer: string, keyId: string): Promise<number>;
  /** Whether there was a trust to delete. */
  delete(id: string): Promise<boolean>;
  /** Up to `limit` trusts that expired before `before`, oldest expiry first (`hydrant janitor --grants`). */
  findExpired(before: Date, limit: number): Promise<TrustedIssuer[]>;
}
