import { InitialSchemaPostgres1763856000000 } from './postgres/1763856000000-initial-schema';
import { InitialSchemaSqlite1763856000000 } from './sqlite/1763856000000-initial-schema';

/** Migrations per dialect, oldest first. A schema change adds one file to each list. */
export const SQLITE_MIGRATIONS = [InitialSchemaSqlite1763856000000];
export const POSTGRES_MIGRATIONS = [InitialSchemaPostgres1763856000000];
