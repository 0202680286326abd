import { canTransition, type Flow, type FlowState } from '../../flows/flow.model';
import type { FlowChanges, FlowStore } from '../../flows/flow.store';
import { identifier, join, list, sql, Sql } from '../sql';
import { SqlDatabase } from '../sql-database';
import { bool, jsonOrNull, time, timeOrNull } from './columns';

const COLUMNS = [
  'id', 'state', 'client_id', 'subject', 'login_session_id', 'csrf', 'login_verifier', 'consent_challenge', 'consent_verifier',
  'request', 'login', 'consent_skip', 'consent', 'requested_at', 'expires_at', 'granted', 'remember', 'remember_until',
] as const;
type Column = (typeof COLUMNS)[number];
const COLUMN_LIST = join(COLUMNS.map((c) => sql`${identifier(c)}`), ', ');
const SELECT = sql`SELECT ${COLUMN_LIST} FROM "hydrant_flow"`;

/** Login/consent flows (and so consent sessions) in SQL. */
export class SqlFlowStore implements FlowStore {
  /** Every step of a sign-in reads its flow: reads that arrive together share one statement. */
  private readonly lookUp: (id: string) => Promise<FlowRow | null>;

  constructor(private readonly db: SqlDatabase) {
    this.lookUp = db.batchedRead(async (ids: string[]) => {
      const rows = await db.all<FlowRow>(sql`${SELECT} WHERE "id" IN (${list([...new Set(ids)])})`);
      const found = new Map(rows.map((row) => [String(row.id), row]));
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  async insert(flow: Flow): Promise<void> {
    const row = toRow(flow);
    await this.db.run(sql`INSERT INTO "hydrant_flow" (${COLUMN_LIST}) VALUES (${list(COLUMNS.map((c) => row[c] ?? null))})`);
  }

  async findById(id: string): Promise<Flow | null> {
    const row = await this.lookUp(id);
    return row && fromRow(row);
  }

  async transition(id: string, from: FlowState, to: FlowState, changes: FlowChanges): Promise<boolean> {
    if (!canTransition(from, to)) throw new Error(`a flow cannot move from ${from} to ${to}`);
    const row = toRow(changes);
    const sets: Sql[] = [sql`"state" = ${to}`];
    for (const column of COLUMNS) {
      if (column !== 'id' && column !== 'state' && row[column] !== undefined) sets.push(sql`${identifier(column)} = ${row[column]}`);
    }
    const changed = await this.db.run(sql`UPDATE "hydrant_flow" SET ${join(sets, ', ')} WHERE "id" = ${id} AND "state" = ${from}`);
    return changed === 1;
  }

  async findGranted(subject: string, filter: { clientId?: string; loginSessionId?: string } = {}): Promise<Flow[]> {
    const conditions = [sql`"subject" = ${subject}`, sql`"granted" = ${true}`];
    if (filter.clientId !== undefined) conditions.push(sql`"client_id" = ${filter.clientId}`);
    if (filter.loginSessionId !== undefined) conditions.push(sql`"login_session_id" = ${filter.loginSessionId}`);
    return (await this.db.all<FlowRow>(sql`${SELECT} WHERE ${join(conditions, ' AND ')} ORDER BY "requested_at" DESC`)).map(fromRow);
  }

  async findRemembered(subject: string, clientId: string, now: Date): Promise<Flow[]> {
    const rows = await this.db.all<FlowRow>(sql`${SELECT} WHERE "subject" = ${subject} AND "client_id" = ${clientId} AND "granted" = ${true}
      AND "remember" = ${true} AND ("remember_until" IS NULL OR "remember_until" > ${now}) ORDER BY "requested_at" DESC`);
    return rows.map(fromRow);
  }

  async clientIdsOfLoginSession(sid: string): Promise<string[]> {
    const rows = await this.db.all<{ client_id: string }>(
      sql`SELECT DISTINCT "client_id" FROM "hydrant_flow" WHERE "login_session_id" = ${sid} AND "granted" = ${true}`,
    );
    return rows.map((r) => r.client_id);
  }

  async deleteByIds(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.db.run(sql`DELETE FROM "hydrant_flow" WHERE "id" IN (${list(ids)})`);
  }

  deleteAbandonedBatch(before: Date, batchSize: number): Promise<number> {
    return this.db.deleteBatch('hydrant_flow', 'id', sql`"expires_at" < ${before} AND "granted" = ${false}`, batchSize);
  }
}

/** The columns of the fields given; a field left out (undefined) is a column left alone. */
function toRow(flow: Partial<Flow>): Partial<Record<Column, unknown>> {
  const json = (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v));
  return {
    id: flow.id,
    state: flow.state,
    client_id: flow.clientId,
    subject: flow.subject,
    login_session_id: flow.loginSessionId,
    csrf: flow.csrf,
    login_verifier: flow.loginVerifier,
    consent_challenge: flow.consentChallenge,
    consent_verifier: flow.consentVerifier,
    request: json(flow.request),
    login: json(flow.login),
    consent_skip: flow.consentSkip,
    consent: json(flow.consent),
    requested_at: flow.requestedAt,
    expires_at: flow.expiresAt,
    granted: flow.granted,
    remember: flow.remember,
    remember_until: flow.rememberUntil,
  };
}

type FlowRow = Record<Column, string | number | boolean | null>;

function fromRow(row: FlowRow): Flow {
  const text = (v: unknown): string | null => (v === null ? null : String(v));
  return {
    id: String(row.id),
    state: row.state as FlowState,
    clientId: String(row.client_id),
    subject: text(row.subject),
    loginSessionId: text(row.login_session_id),
    csrf: String(row.csrf),
    loginVerifier: text(row.login_verifier),
    consentChallenge: text(row.consent_challenge),
    consentVerifier: text(row.consent_verifier),
    request: jsonOrNull(text(row.request)) as Flow['request'],
    login: jsonOrNull(text(row.login)) as Flow['login'],
    consentSkip: bool(row.consent_skip as number),
    consent: jsonOrNull(text(row.consent)) as Flow['consent'],
    requestedAt: time(row.requested_at as number),
    expiresAt: time(row.expires_at as number),
    granted: bool(row.granted as number),
    remember: bool(row.remember as number),
    rememberUntil: timeOrNull(row.remember_until as number | null),
  };
}
