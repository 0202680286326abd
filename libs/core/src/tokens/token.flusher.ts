import { ClientAssertionJtiRepository } from '../clients/authentication/client-assertion-jti.repository';
import { TokenRepository } from './token.repository';

export interface FlushResult {
  tokens: number;
  assertions: number;
}

const BATCH_SIZE = 500;

/**
 * Deletes what can no longer be used: tokens that expired or were revoked before `notAfter` (later ones
 * are kept, e.g. for audits) and remembered assertion jtis that expired. Works in small batches so that a
 * large flush never holds the database's write lock for long (`POST /admin/oauth2/flush`, `hydrant janitor`).
 */
export class TokenFlusher {
  constructor(
    private readonly tokens: TokenRepository,
    private readonly jtis: ClientAssertionJtiRepository,
  ) {}

  async flush(notAfter: Date = new Date()): Promise<FlushResult> {
    const before = new Date(Math.min(notAfter.getTime(), Date.now()));
    const result: FlushResult = { tokens: 0, assertions: 0 };
    let deleted: number;
    do {
      deleted = await this.tokens.deleteInactiveBatch(before, BATCH_SIZE);
      result.tokens += deleted;
    } while (deleted === BATCH_SIZE);
    do {
      deleted = await this.jtis.deleteExpiredBatch(before, BATCH_SIZE);
      result.assertions += deleted;
    } while (deleted === BATCH_SIZE);
    return result;
  }
}
