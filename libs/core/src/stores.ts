import { DataSource } from 'typeorm';
import { ClientAssertionJtiRepository } from './clients/authentication/client-assertion-jti.repository';
import { ClientRepository } from './clients/client.repository';
import { FlowRepository } from './flows/flow.repository';
import { LoginSessionRepository } from './flows/login-session.repository';
import { LogoutRequestRepository } from './flows/logout-request.repository';
import { JwkRepository } from './keys/jwk.repository';
import { RateLimiter } from './rate-limit/rate-limiter';
import { AuthorizationCodeRepository } from './tokens/authorization-code.repository';
import { PersonalAccessTokenRepository } from './tokens/personal-access-token.repository';
import { TokenRepository } from './tokens/token.repository';
import { TransactionRunner } from './persistence/transaction.runner';

/** Every store of one database connection: the only objects that talk to the database. */
export interface Stores {
  clients: ClientRepository;
  jtis: ClientAssertionJtiRepository;
  tokens: TokenRepository;
  codes: AuthorizationCodeRepository;
  pats: PersonalAccessTokenRepository;
  flows: FlowRepository;
  loginSessions: LoginSessionRepository;
  logoutRequests: LogoutRequestRepository;
  jwks: JwkRepository;
  rateLimits: RateLimiter;
}

/** One of each store, on `dataSource`; built once per app, before anything that uses them. */
export function openStores(dataSource: DataSource, transactions: TransactionRunner): Stores {
  return {
    clients: new ClientRepository(dataSource),
    jtis: new ClientAssertionJtiRepository(dataSource),
    tokens: new TokenRepository(dataSource),
    codes: new AuthorizationCodeRepository(dataSource),
    pats: new PersonalAccessTokenRepository(dataSource),
    flows: new FlowRepository(dataSource),
    loginSessions: new LoginSessionRepository(dataSource),
    logoutRequests: new LogoutRequestRepository(dataSource),
    jwks: new JwkRepository(dataSource),
    rateLimits: new RateLimiter(dataSource, transactions),
  };
}
