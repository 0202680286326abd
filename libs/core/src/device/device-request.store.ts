import { DeviceRequest, DeviceRequestState } from './device-request.model';

/** The fields a transition may set, besides the state. */
export type DeviceRequestChanges = Partial<Pick<DeviceRequest, 'csrfHash' | 'verifierHash' | 'flowId'>>;

/** What the device flow needs from storage. */
export interface DeviceRequestStore {
  insert(request: DeviceRequest): Promise<void>;
  findById(id: string): Promise<DeviceRequest | null>;
  findByDeviceCode(signature: string): Promise<DeviceRequest | null>;
  findByUserCode(hash: string): Promise<DeviceRequest | null>;
  /**
   * Moves a request from `from` to `to` with `changes` if it is still in `from` and has not expired at
   * `now`; answers whether it did. Of two uses of one user code, device verifier or device code at once,
   * exactly one wins.
   */
  transition(id: string, from: DeviceRequestState, to: DeviceRequestState, changes: DeviceRequestChanges, now: Date): Promise<boolean>;
  /**
   * Records a poll at `now` if the last one was at least the request's interval before; answers whether it
   * was (false: the device polls too fast, RFC 8628 §3.5 `slow_down`).
   */
  recordPoll(id: string, now: Date): Promise<boolean>;
  /** Deletes up to `batchSize` requests that expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}
