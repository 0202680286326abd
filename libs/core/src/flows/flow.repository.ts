import { DataSource } from 'typeorm';
import { deleteBatch, executeWrite, placeholders, sqlBoolean } from '../persistence/sql-dialect';
import { canTransition, Flow, FlowState } from './flow.model';
import { database } from '../persistence/unit-of-work';

const COLUMNS = [
  'id', 'state', 'client_id', 'subject', 'login_session_id', 'csrf', 'login_verifier', 'consent_challenge', 'consent_verifier',
  'request', 'login', 'consent_skip', 'consent', 'requested_at', 'expires_at', 'granted', 'remember', 'remember_until',
] as const;
type Column = (typeof COLUMNS)[number];
const SELECT = `SELECT ${COLUMNS.map((c) => `"${c}"`).join(', ')} FROM "hydrant_flow"`;

/** The fields a transition may change, besides the state. */
export type FlowChanges = Partial<Omit<Flow, 'id' | 'state' | 'clientId' | 'csrf' | 'request' | 'requestedAt' | 'expiresAt'>>;

/** The only code that reads or writes login/consent flows (and so consent sessions). Plain SQL. */
export class FlowRepository {
  private readonly param: (index: number) => string;

  constructor(private readonly dataSource: DataSource) {
    this.param = placeholders(dataSource);
  }

  async insert(flow: Flow): Promise<void> {
    const row = this.toRow(flow);
    await database(this.dataSource).query(
      `INSERT INTO "hydrant_flow" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map((_, i) => this.param(i)).join(', ')})`,
      COLUMNS.map((c) => row[c]),
    );
  }

  async findById(id: string): Promise<Flow | null> {
    const rows: RawFlow[] = await database(this.dataSource).query(`${SELECT} WHERE "id" = ${this.param(0)}`, [id]);
    return rows.length > 0 ? fromRow(rows[0]) : null;
  }

  /**
   * Moves a flow from `from` to `to` with `changes`, if it is still in `from`; answers whether it did. Two
   * processes presenting the same challenge or verifier race here, and exactly one wins.
   */
  async transition(id: string, from: FlowState, to: FlowState, changes: FlowChanges): Promise<boolean> {
    if (!canTransition(from, to)) throw new Error(`a flow cannot move from ${from} to ${to}`);
    const row = this.toRow(changes as Flow);
    const columns = (Object.keys(row) as Column[]).filter((c) => row[c] !== undefined && c !== 'id' && c !== 'state');
    const sets = [`"state" = ${this.param(0)}`, ...columns.map((c, i) => `"${c}" = ${this.param(i + 1)}`)];
    const n = columns.length + 1;
    const changed = await executeWrite(
      this.dataSource,
      `UPDATE "hydrant_flow" SET ${sets.join(', ')} WHERE "id" = ${this.param(n)} AND "state" = ${this.param(n + 1)}`,
      [to, ...columns.map((c) => row[c]), id, from],
    );
    return changed === 1;
  }

  /** A subject's granted consents (the "authorized apps"), newest first; optionally for one client or login session. */
  async findGranted(subject: string, filter: { clientId?: string; loginSessionId?: string } = {}): Promise<Flow[]> {
    const params: unknown[] = [subject, sqlBoolean(this.dataSource, true)];
    let sql = `${SELECT} WHERE "subject" = ${this.param(0)} AND "granted" = ${this.param(1)}`;
    if (filter.clientId !== undefined) sql += ` AND "client_id" = ${this.param(params.push(filter.clientId) - 1)}`;
    if (filter.loginSessionId !== undefined) sql += ` AND "login_session_id" = ${this.param(params.push(filter.loginSessionId) - 1)}`;
    const rows: RawFlow[] = await database(this.dataSource).query(`${sql} ORDER BY "requested_at" DESC`, params);
    return rows.map(fromRow);
  }

  /** Consents of `subject` for `clientId` that were remembered and have not run out at `now`. */
  async findRemembered(subject: string, clientId: string, now: Date): Promise<Flow[]> {
    const rows: RawFlow[] = await database(this.dataSource).query(
      `${SELECT} WHERE "subject" = ${this.param(0)} AND "client_id" = ${this.param(1)} AND "granted" = ${this.param(2)}
        AND "remember" = ${this.param(3)} AND ("remember_until" IS NULL OR "remember_until" > ${this.param(4)})
        ORDER BY "requested_at" DESC`,
      [subject, clientId, sqlBoolean(this.dataSource, true), sqlBoolean(this.dataSource, true), now.getTime()],
    );
    return rows.map(fromRow);
  }

  /** The clients a login session consented to: the ones to tell when it ends (OIDC logout). */
  async clientIdsOfLoginSession(sid: string): Promise<string[]> {
    const rows: Array<{ client_id: string }> = await database(this.dataSource).query(
      `SELECT DISTINCT "client_id" FROM "hydrant_flow" WHERE "login_session_id" = ${this.param(0)} AND "granted" = ${this.param(1)}`,
      [sid, sqlBoolean(this.dataSource, true)],
    );
    return rows.map((r) => r.client_id);
  }

  /** Deletes the given flows (revoked consents). */
  async deleteByIds(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await database(this.dataSource).query(`DELETE FROM "hydrant_flow" WHERE "id" IN (${ids.map((_, i) => this.param(i)).join(', ')})`, ids);
  }

  /**
   * Deletes up to `batchSize` flows that never became a consent session and whose challenges expired
   * before `before`; answers how many.
   */
  deleteAbandonedBatch(before: Date, batchSize: number): Promise<number> {
    return deleteBatch(this.dataSource, 'hydrant_flow', 'id', `"expires_at" < ${this.param(0)} AND "granted" = ${this.param(1)}`,
      [before.getTime(), sqlBoolean(this.dataSource, false)], batchSize);
  }

  private toRow(flow: Partial<Flow>): Partial<Record<Column, unknown>> {
    const json = (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v));
    const bool = (v: boolean | undefined) => (v === undefined ? undefined : sqlBoolean(this.dataSource, v));
    const time = (v: Date | null | undefined) => (v === undefined ? undefined : v === null ? null : v.getTime());
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
      consent_skip: bool(flow.consentSkip),
      consent: json(flow.consent),
      requested_at: time(flow.requestedAt),
      expires_at: time(flow.expiresAt),
      granted: bool(flow.granted),
      remember: bool(flow.remember),
      remember_until: time(flow.rememberUntil),
    };
  }
}

type RawFlow = Record<Column, string | number | boolean | null>;

function fromRow(row: RawFlow): Flow {
  const json = <T>(v: unknown): T => (v === null ? null : JSON.parse(String(v))) as T;
  return {
    id: String(row.id),
    state: row.state as FlowState,
    clientId: String(row.client_id),
    subject: row.subject === null ? null : String(row.subject),
    loginSessionId: row.login_session_id === null ? null : String(row.login_session_id),
    csrf: String(row.csrf),
    loginVerifier: row.login_verifier as string | null,
    consentChallenge: row.consent_challenge as string | null,
    consentVerifier: row.consent_verifier as string | null,
    request: json(row.request),
    login: json(row.login),
    consentSkip: Boolean(row.consent_skip),
    consent: json(row.consent),
    requestedAt: new Date(Number(row.requested_at)),
    expiresAt: new Date(Number(row.expires_at)),
    granted: Boolean(row.granted),
    remember: Boolean(row.remember),
    rememberUntil: row.remember_until === null ? null : new Date(Number(row.remember_until)),
  };
}
