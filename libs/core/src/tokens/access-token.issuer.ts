import { randomUUID } from 'node:crypto';
import { Client } from '../clients/client.model';
import { OpaqueTokenCodec } from './opaque-token.codec';
import { TokenRecord } from './token.model';

export interface AccessTokenGrant {
  client: Client;
  subject: string;
  scopes: string[];
  audience: string[];
  /** Shared by every token of one grant; a new one is drawn when absent. */
  requestId?: string;
  lifespanMs: number;
  ext?: Record<string, unknown>;
}

export interface IssuedAccessToken {
  token: string;
  record: TokenRecord;
}

/**
 * Mints access tokens. The opaque strategy is an HMAC token whose signature is stored; the record it
 * returns is what the caller persists (in the same transaction as the rest of its grant).
 */
export class AccessTokenIssuer {
  constructor(private readonly codec: OpaqueTokenCodec) {}

  issue(grant: AccessTokenGrant, now = new Date()): IssuedAccessToken {
    const { token, signature } = this.codec.mint('access_token');
    return {
      token,
      record: {
        signature,
        kind: 'access_token',
        requestId: grant.requestId ?? randomUUID(),
        clientId: grant.client.id,
        subject: grant.subject,
        scopes: grant.scopes,
        audience: grant.audience,
        issuedAt: now,
        expiresAt: new Date(now.getTime() + grant.lifespanMs),
        active: true,
        ext: grant.ext ?? {},
      },
    };
  }
}
