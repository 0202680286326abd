import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { openMigratedDataSource } from '../../../../../test/support/test-database';
import { DeviceRequest } from '../../device/device-request.model';
import { DeviceRequestStore } from '../../device/device-request.store';
import { openStores } from '../../stores';

const describePg = process.env.TEST_PG !== 'off' ? describe : describe.skip;
const MINUTE = 60_000;

/** What every dialect must do with device authorizations: one winner per step, polls no faster than the interval. */
function deviceRequests(dialect: 'sqlite' | 'postgres') {
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let store: DeviceRequestStore;

  beforeAll(async () => {
    ({ dataSource, drop } = await openMigratedDataSource(dialect));
    store = openStores(dataSource).deviceRequests;
    await dataSource.query(`INSERT INTO "hydrant_client" ("id", "document", "created_at", "updated_at") VALUES ('tv', '{}', ${Date.now()}, ${Date.now()})`);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await drop();
  });

  let n = 0;
  const request = (overrides: Partial<DeviceRequest> = {}): DeviceRequest => {
    n++;
    return {
      id: `device-${n}`, deviceCodeSignature: `signature-${n}`, userCodeHash: `user-code-${n}`, clientId: 'tv', scopes: ['openid', 'offline'],
      audience: ['https://api.example/'], state: 'pending', csrfHash: null, verifierHash: null, flowId: null,
      createdAt: new Date(), expiresAt: new Date(Date.now() + 10 * MINUTE), intervalMs: 5000, lastPolledAt: null, ...overrides,
    };
  };

  it('finds a request by its id, device code and user code, as it was stored', async () => {
    const r = request();
    await store.insert(r);
    for (const found of [await store.findById(r.id), await store.findByDeviceCode(r.deviceCodeSignature), await store.findByUserCode(r.userCodeHash)]) {
      expect(found).toEqual(r);
    }
    await expect(store.insert({ ...request(), userCodeHash: r.userCodeHash })).rejects.toThrow();
  });

  it('moves a request on once of two tries at once, with its changes, and never once it expired', async () => {
    const r = request();
    await store.insert(r);
    const now = new Date();
    const outcomes = await Promise.all([1, 2].map((i) => store.transition(r.id, 'pending', 'accepted', { csrfHash: `csrf-${i}`, verifierHash: `v-${i}` }, now)));
    expect(outcomes.sort()).toEqual([false, true]);
    expect(await store.findById(r.id)).toMatchObject({ state: 'accepted', csrfHash: expect.stringMatching(/^csrf-/), verifierHash: expect.stringMatching(/^v-/) });
    expect(await store.transition(r.id, 'accepted', 'login', {}, new Date(r.expiresAt.getTime() + 1))).toBe(false);
  });

  it('records a poll only once the interval has passed since the last one', async () => {
    const r = request();
    await store.insert(r);
    const t0 = new Date();
    expect(await store.recordPoll(r.id, t0)).toBe(true);
    expect(await store.recordPoll(r.id, new Date(t0.getTime() + 4999))).toBe(false);
    expect(await store.recordPoll(r.id, new Date(t0.getTime() + 5000))).toBe(true);
  });

  it('deletes expired requests in batches, and keeps live ones', async () => {
    const live = request();
    const expired = [request({ expiresAt: new Date(Date.now() - MINUTE) }), request({ expiresAt: new Date(Date.now() - MINUTE) })];
    for (const r of [live, ...expired]) await store.insert(r);
    expect(await store.deleteExpiredBatch(new Date(), 1)).toBe(1);
    expect(await store.deleteExpiredBatch(new Date(), 10)).toBeGreaterThanOrEqual(1);
    expect(await store.findById(live.id)).not.toBeNull();
    for (const r of expired) expect(await store.findById(r.id)).toBeNull();
  });
}

describe('DeviceRequestStore on SQLite', () => {
  deviceRequests('sqlite');
});

describePg('DeviceRequestStore on PostgreSQL', () => {
  deviceRequests('postgres');
});
