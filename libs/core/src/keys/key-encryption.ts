import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * Encrypts private keys at rest as compact JWEs (`dir`, `A256GCM`) under a key derived (HKDF) from
 * SECRETS_SYSTEM. Encryption uses the first secret; decryption tries each, so the secret can rotate.
 */
export class KeyEncryption {
  private readonly keys: Uint8Array[];

  constructor(systemSecrets: readonly string[]) {
    if (systemSecrets.length === 0) throw new Error('KeyEncryption needs at least one system secret');
    this.keys = systemSecrets.map((s) => new Uint8Array(hkdfSync('sha256', s, 'hydrant', 'jwk-encryption', 32)));
  }

  async encrypt(plaintext: string): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(this.keys[0]);
  }

  async decrypt(jwe: string): Promise<string> {
    for (const key of this.keys) {
      try {
        const { plaintext } = await compactDecrypt(jwe, key);
        return new TextDecoder().decode(plaintext);
      } catch {
        // not encrypted under this secret; try the next (older) one
      }
    }
    throw new Error('a stored private key cannot be decrypted with any SECRETS_SYSTEM entry');
  }
}
