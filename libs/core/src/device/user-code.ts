import { createHmac, randomInt } from 'node:crypto';
import { HydrantConfig } from '../config/hydrant.config';

/** Hydra's user code alphabets and lengths per entropy preset: no look-alike characters in `high`. */
const PRESETS = {
  high: { alphabet: 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679', length: 8 },
  medium: { alphabet: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', length: 8 },
  low: { alphabet: '0123456789', length: 9 },
} as const;

/**
 * The code a user types to approve a device (RFC 8628 §6.1): drawn uniformly from the preset's alphabet,
 * and kept only as an HMAC under the system secret, so a copy of the database neither shows live codes
 * nor lets anyone test guesses offline. A lookup is by that HMAC.
 */
export class UserCodes {
  constructor(private readonly config: Pick<HydrantConfig, 'oauth2DeviceAuthorizationUserCodeEntropyPreset' | 'secretsSystem'>) {}

  generate(): string {
    const { alphabet, length } = PRESETS[this.config.oauth2DeviceAuthorizationUserCodeEntropyPreset];
    let code = '';
    for (let i = 0; i < length; i++) code += alphabet[randomInt(alphabet.length)];
    return code;
  }

  /** What the store keeps: the HMAC under the current system secret. Whitespace around a typed code does not count. */
  hash(code: string): string {
    return this.hashes(code)[0];
  }

  /** What a typed code is looked up by: its HMAC under each system secret, so a rotation keeps live codes. */
  hashes(code: string): string[] {
    return this.config.secretsSystem.map((secret) => createHmac('sha256', secret).update(`device-user-code\0${code.trim()}`).digest('base64url'));
  }
}
