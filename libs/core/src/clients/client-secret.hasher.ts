import { hash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * How client secrets are stored. Two schemes, told apart by the stored value's prefix:
 *
 * - `$sha256$<digest>` for secrets Hydrant generates. They carry 256 bits of randomness, so no guessing
 *   attack exists for a slow hash to slow down; one SHA-256 (under a microsecond) keeps the token endpoint
 *   fast, and stealing the table yields nothing usable.
 * - `$scrypt$<N>$<r>$<p>$<salt>$<digest>` for secrets an operator chose, which may be guessable. scrypt is
 *   memory-hard; so that a client with such a secret does not pay ~30 ms on every token request, a verified
 *   secret is remembered per process as its SHA-256 next to the stored hash (a cache, never the secret).
 *
 * Every comparison is constant-time. At most SCRYPT_CONCURRENCY scrypt computations run at once in a
 * process, whatever asks for them: each holds one of libuv's four threads for its whole run, and those
 * threads also serve sqlite3, so wrong guesses sent in bulk would otherwise make every request that reads
 * the database wait behind them. The others wait in line, in order.
 */
const SCRYPT = { N: 1 << 14, r: 8, p: 1, keyLength: 32 };
const SCRYPT_CONCURRENCY = 2;
const VERIFIED_CACHE_LIMIT = 10_000;

/** One-shot SHA-256: runs on every token request, where a Hash stream object cost more than the digest. */
export function sha256(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}

function scryptAsync(secret: string, salt: Buffer, N: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, SCRYPT.keyLength, { N, r, p, maxmem: 256 * N * r }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** A counting semaphore: at most `size` holders at once, the others served in arrival order. */
class Slots {
  private readonly waiting: Array<() => void> = [];
  private free: number;

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

export class ClientSecretHasher {
  private readonly verified = new Map<string, Buffer>();
  /** scrypt verifications under way, by stored hash and the presented secret's SHA-256. */
  private readonly verifying = new Map<string, Promise<boolean>>();
  private readonly scryptSlots = new Slots(SCRYPT_CONCURRENCY);

  /** A new secret with 256 bits of entropy, URL-safe. */
  generate(): string {
    return randomBytes(32).toString('base64url');
  }

  /** Hashes a secret Hydrant generated (fast scheme). */
  hashGenerated(secret: string): string {
    return `$sha256$${sha256(secret).toString('base64url')}`;
  }

  /** Hashes a secret a caller chose (slow, salted scheme). */
  async hashChosen(secret: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await this.scryptSlots.run(() => scryptAsync(secret, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p));
    return `$scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /**
   * Whether `secret` is a client's current secret or one still valid after a rotation (`stored`, newest
   * first; null where there is none), as verify() checks each. `admit` as for verify().
   */
  async verifyAny(secret: string, stored: ReadonlyArray<string | null>, admit?: () => Promise<void>): Promise<boolean> {
    for (const hash of stored) {
      if (hash !== null && (await this.verify(secret, hash, admit))) return true;
    }
    return false;
  }

  /**
   * Whether `secret` matches `stored`, in constant time for a given scheme. `admit` runs when an scrypt is
   * about to start for this call, once it has its slot; it may throw to refuse the verification (the
   * failure limiter counts there, so that guesses waiting in line are refused once the limit is reached).
   */
  async verify(secret: string, stored: string, admit?: () => Promise<void>): Promise<boolean> {
    const parts = stored.split('$');
    if (parts[1] === 'sha256' && parts.length === 3) {
      return safeEqual(sha256(secret), Buffer.from(parts[2], 'base64url'));
    }
    if (parts[1] === 'scrypt' && parts.length === 7) {
      const presented = sha256(secret);
      const remembered = this.verified.get(stored);
      if (remembered && safeEqual(presented, remembered)) return true;
      // Requests that arrive together with the same secret share one scrypt: each costs 16 MiB and ~30 ms,
      // and a client's first burst (a service's connection pool) would otherwise run one per request.
      const flight = `${stored}$${presented.toString('base64url')}`;
      let verifying = this.verifying.get(flight);
      if (!verifying) {
        verifying = this.scryptSlots
          .run(async () => {
            await admit?.();
            return this.verifyScrypt(secret, parts, stored, presented);
          })
          .finally(() => this.verifying.delete(flight));
        this.verifying.set(flight, verifying);
      }
      return verifying;
    }
    return false;
  }

  private async verifyScrypt(secret: string, parts: string[], stored: string, presented: Buffer): Promise<boolean> {
    const [N, r, p] = parts.slice(2, 5).map(Number);
    const key = await scryptAsync(secret, Buffer.from(parts[5], 'base64url'), N, r, p);
    const ok = safeEqual(key, Buffer.from(parts[6], 'base64url'));
    if (ok) this.remember(stored, presented);
    return ok;
  }

  private remember(stored: string, presented: Buffer): void {
    if (this.verified.size >= VERIFIED_CACHE_LIMIT) {
      this.verified.delete(this.verified.keys().next().value as string);
    }
    this.verified.set(stored, presented);
  }
}

export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
