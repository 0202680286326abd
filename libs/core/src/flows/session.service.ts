import { ClientStore } from '../clients/client.store';
import { Client } from '../clients/client.model';
import { Errors } from '../errors';
import type { TransactionRunner } from '../persistence/transaction.runner';
import { TokenStore } from '../tokens/token.store';
import { presentConsentSession } from './flow.presenter';
import { FlowStore } from './flow.store';
import { LoginSessionStore } from './login-session.store';
import { LoginSession } from './login-session.model';
import { SessionLogoutNotices } from './session-logout.notices';

/**
 * A subject's sessions on the admin API: the consents it granted (the "authorized apps"), which can be
 * revoked together with every token they issued, and its login sessions, which can be ended.
 */
export class SessionService {
  constructor(
    private readonly flows: FlowStore,
    private readonly loginSessions: LoginSessionStore,
    private readonly tokens: TokenStore,
    private readonly clients: ClientStore,
    private readonly transactions: TransactionRunner,
    private readonly notifier: SessionLogoutNotices,
  ) {}

  /** Granted consents, newest first; the ones given silently (skipped) repeat an earlier one and are left out. */
  async listConsents(subject: string, loginSessionId?: string): Promise<Array<Record<string, unknown>>> {
    if (!subject) throw Errors.invalidRequest().withHint('The "subject" parameter is required.');
    const flows = (await this.flows.findGranted(subject, { loginSessionId })).filter((f) => !f.consentSkip && f.consent !== null);
    const clients = new Map<string, Client | null>();
    const sessions: Array<Record<string, unknown>> = [];
    for (const flow of flows) {
      if (!clients.has(flow.clientId)) clients.set(flow.clientId, await this.clients.findById(flow.clientId));
      const client = clients.get(flow.clientId);
      if (client) sessions.push(presentConsentSession(flow, client));
    }
    return sessions;
  }

  /** Revokes a subject's consents (for one client, or all) and every token they issued, in one transaction. */
  async revokeConsents(subject: string, scope: { clientId?: string; all: boolean }): Promise<void> {
    if (!subject) throw Errors.invalidRequest().withHint('The "subject" parameter is required.');
    if (!scope.clientId && !scope.all) throw Errors.invalidRequest().withHint('Name a "client", or set "all=true" to revoke every consent.');
    const flows = await this.flows.findGranted(subject, scope.clientId ? { clientId: scope.clientId } : {});
    const ids = flows.map((f) => f.id);
    await this.transactions.run(async () => {
      await this.tokens.deactivateRequests(ids);
      await this.flows.deleteByIds(ids);
    });
  }

  /**
   * Ends login sessions by subject or by session id: later flows in those browsers ask for a login again,
   * and the sessions' clients get a back-channel logout token.
   */
  async revokeLoginSessions(filter: { subject?: string; sid?: string }): Promise<void> {
    let ended: LoginSession[];
    if (filter.subject) ended = await this.loginSessions.delete({ subject: filter.subject });
    else if (filter.sid) ended = await this.loginSessions.delete({ id: filter.sid });
    else throw Errors.invalidRequest().withHint('Name a "subject" or a "sid".');
    for (const session of ended) {
      await this.notifier.backchannel(await this.notifier.clientsOf(session.id), session.subject, session.id);
    }
  }
}
