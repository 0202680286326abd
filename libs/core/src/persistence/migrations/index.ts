import { InitialSchemaPostgres1763856000000 } from './postgres/1763856000000-initial-schema';
import { TokensPostgres1763856000001 } from './postgres/1763856000001-tokens';
import { KeysPostgres1763856000002 } from './postgres/1763856000002-keys';
import { FlowsPostgres1763856000003 } from './postgres/1763856000003-flows';
import { LogoutPostgres1763856000004 } from './postgres/1763856000004-logout';
import { FlushIndexesPostgres1763856000005 } from './postgres/1763856000005-flush-indexes';
import { ApplicationsAndPatsPostgres1763856000006 } from './postgres/1763856000006-applications-and-pats';
import { RateLimitWindowEndPostgres1763856000007 } from './postgres/1763856000007-rate-limit-window-end';
import { ClientTimesInMillisecondsPostgres1763856000008 } from './postgres/1763856000008-client-times-in-milliseconds';
import { TrustedJwtIssuersPostgres1763856000009 } from './postgres/1763856000009-trusted-jwt-issuers';
import { DeviceRequestsPostgres1763856000010 } from './postgres/1763856000010-device-requests';
import { InitialSchemaSqlite1763856000000 } from './sqlite/1763856000000-initial-schema';
import { TokensSqlite1763856000001 } from './sqlite/1763856000001-tokens';
import { KeysSqlite1763856000002 } from './sqlite/1763856000002-keys';
import { FlowsSqlite1763856000003 } from './sqlite/1763856000003-flows';
import { LogoutSqlite1763856000004 } from './sqlite/1763856000004-logout';
import { FlushIndexesSqlite1763856000005 } from './sqlite/1763856000005-flush-indexes';
import { ApplicationsAndPatsSqlite1763856000006 } from './sqlite/1763856000006-applications-and-pats';
import { RateLimitWindowEndSqlite1763856000007 } from './sqlite/1763856000007-rate-limit-window-end';
import { ClientTimesInMillisecondsSqlite1763856000008 } from './sqlite/1763856000008-client-times-in-milliseconds';
import { TrustedJwtIssuersSqlite1763856000009 } from './sqlite/1763856000009-trusted-jwt-issuers';
import { DeviceRequestsSqlite1763856000010 } from './sqlite/1763856000010-device-requests';

/** Migrations per dialect, oldest first. A schema change adds one file to each list. */
export const SQLITE_MIGRATIONS = [InitialSchemaSqlite1763856000000, TokensSqlite1763856000001, KeysSqlite1763856000002, FlowsSqlite1763856000003, LogoutSqlite1763856000004,
  FlushIndexesSqlite1763856000005, ApplicationsAndPatsSqlite1763856000006, RateLimitWindowEndSqlite1763856000007,
  ClientTimesInMillisecondsSqlite1763856000008, TrustedJwtIssuersSqlite1763856000009,
  DeviceRequestsSqlite1763856000010];
export const POSTGRES_MIGRATIONS = [InitialSchemaPostgres1763856000000, TokensPostgres1763856000001, KeysPostgres1763856000002, FlowsPostgres1763856000003, LogoutPostgres1763856000004,
  FlushIndexesPostgres1763856000005, ApplicationsAndPatsPostgres1763856000006, RateLimitWindowEndPostgres1763856000007,
  ClientTimesInMillisecondsPostgres1763856000008, TrustedJwtIssuersPostgres1763856000009,
  DeviceRequestsPostgres1763856000010];
