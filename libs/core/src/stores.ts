import { DataSource } from 'typeorm';
import { ClientAssertionJtiStore } from './clients/authentication/client-assertion-jti.store';
import { ClientStore } from './clients/client.store';
import { DeviceRequestStore } from './device/device-request.store';
import { FlowStore } from './flows/flow.store';
import { LoginSessionStore } from './flows/login-session.store';
import { LogoutRequestStore } from './flows/logout-request.store';
import { JwkStore } from './keys/jwk.store';
import { sqlDatabase } from './persistence/sql-database';
import { SqlAuthorizationCodeStore } from './persistence/stores/sql-authorization-code.store';
import { SqlClientAssertionJtiStore } from './persistence/stores/sql-client-assertion-jti.store';
import { SqlClientStore } from './persistence/stores/sql-client.store';
import { SqlDeviceRequestStore } from './persistence/stores/sql-device-request.store';
import { SqlFlowStore } from './persistence/stores/sql-flow.store';
import { SqlJwkStore } from './persistence/stores/sql-jwk.store';
import { SqlLoginSessionStore } from './persistence/stores/sql-login-session.store';
import { SqlLogoutRequestStore } from './persistence/stores/sql-logout-request.store';
import { SqlPersonalAccessTokenStore } from './persistence/stores/sql-personal-access-token.store';
import { SqlRateLimitStore } from './persistence/stores/sql-rate-limit.store';
import { SqlSettingStore } from './persistence/stores/sql-setting.store';
import { SqlTokenStore } from './persistence/stores/sql-token.store';
import { SqlTrustedIssuerStore } from './persistence/stores/sql-trusted-issuer.store';
import { RateLimitStore } from './rate-limit/rate-limit.store';
import { SettingStore } from './settings/setting.store';
import { AuthorizationCodeStore } from './tokens/authorization-code.store';
import { PersonalAccessTokenStore } from './tokens/personal-access-token.store';
import { TokenStore } from './tokens/token.store';
import { TrustedIssuerStore } from './trust/trusted-issuer.store';

/**
 * Every store: what libs/core needs from storage, one narrow interface per concern (declared beside the
 * code that uses it), each implemented once in persistence/stores. The only objects that talk to the
 * database.
 */
export interface Stores {
  clients: ClientStore;
  jtis: ClientAssertionJtiStore;
  tokens: TokenStore;
  codes: AuthorizationCodeStore;
  pats: PersonalAccessTokenStore;
  flows: FlowStore;
  loginSessions: LoginSessionStore;
  logoutRequests: LogoutRequestStore;
  jwks: JwkStore;
  rateLimits: RateLimitStore;
  settings: SettingStore;
  trustedIssuers: TrustedIssuerStore;
  deviceRequests: DeviceRequestStore;
}

/** One of each store, on `dataSource`; built once per app, before anything that uses them. */
export function openStores(dataSource: DataSource): Stores {
  const db = sqlDatabase(dataSource);
  return {
    clients: new SqlClientStore(db),
    jtis: new SqlClientAssertionJtiStore(db),
    tokens: new SqlTokenStore(db),
    codes: new SqlAuthorizationCodeStore(db),
    pats: new SqlPersonalAccessTokenStore(db),
    flows: new SqlFlowStore(db),
    loginSessions: new SqlLoginSessionStore(db),
    logoutRequests: new SqlLogoutRequestStore(db),
    jwks: new SqlJwkStore(db),
    rateLimits: new SqlRateLimitStore(db),
    settings: new SqlSettingStore(db),
    trustedIssuers: new SqlTrustedIssuerStore(db),
    deviceRequests: new SqlDeviceRequestStore(db),
  };
}
