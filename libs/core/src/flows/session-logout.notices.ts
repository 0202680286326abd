import { Client } from '../clients/client.model';

/**
 * What ending a login session needs from OpenID Connect Back-Channel Logout (oidc/logout-notifier.ts
 * implements it): the clients the session signed in to, and a logout token sent to each. Declared here,
 * so that flows/ does not depend on oidc/, which reads flows.
 */
export interface SessionLogoutNotices {
  clientsOf(sid: string): Promise<Client[]>;
  backchannel(clients: Client[], subject: string, sid: string): Promise<void>;
}
