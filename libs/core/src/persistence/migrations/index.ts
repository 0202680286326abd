import { InitialSchemaPostgres1763856000000 } from './postgres/1763856000000-initial-schema';
import { TokensPostgres1763856000001 } from './postgres/1763856000001-tokens';
import { InitialSchemaSqlite1763856000000 } from './sqlite/1763856000000-initial-schema';
import { TokensSqlite1763856000001 } from './sqlite/1763856000001-tokens';

/** Migrations per dialect, oldest first. A schema change adds one file to each list. */
export const SQLITE_MIGRATIONS = [InitialSchemaSqlite1763856000000, TokensSqlite1763856000001];
export const POSTGRES_MIGRATIONS = [InitialSchemaPostgres1763856000000, TokensPostgres1763856000001];
