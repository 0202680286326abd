/** RFC 8628 §3.4: the grant type a device polls the token endpoint with. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * Where a device authorization (RFC 8628) is:
 * - `pending`: the device has its codes; nobody has entered the user code yet;
 * - `accepted`: the device page accepted the user code for one browser (its device verifier is out);
 * - `login`: that browser came back with the device verifier and is logging in and consenting;
 * - `approved`: the user consented, and the device's next poll gets tokens;
 * - `denied`: the user rejected the login or the consent;
 * - `used`: the device code was redeemed.
 */
export type DeviceRequestState = 'pending' | 'accepted' | 'login' | 'approved' | 'denied' | 'used';

/** One device authorization: what the device asked for, and how far its user got. */
export interface DeviceRequest {
  id: string;
  /** The device code's signature (OpaqueTokenCodec); the code itself is never stored. */
  deviceCodeSignature: string;
  /** An HMAC of the user code under the system secret: found by it, never stored in clear. */
  userCodeHash: string;
  clientId: string;
  scopes: string[];
  audience: string[];
  state: DeviceRequestState;
  /** The hash of the CSRF value of the browser that accepted the user code; null before. */
  csrfHash: string | null;
  /** The hash of the device verifier handed to that browser; null before. */
  verifierHash: string | null;
  /** The login/consent flow of the user who approves it; null before they log in. */
  flowId: string | null;
  createdAt: Date;
  expiresAt: Date;
  /** How often the device may poll, in milliseconds. */
  intervalMs: number;
  lastPolledAt: Date | null;
}
