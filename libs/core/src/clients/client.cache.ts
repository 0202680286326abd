import { Client } from './client.model';

const MAX_ENTRIES = 10_000;

/**
 * A short-lived, per-process copy of recently used clients for the token endpoint, where the same few
 * clients authenticate thousands of times a second. The database stays the only source: an entry lives
 * OAUTH2_CLIENT_CACHE_TTL at most and a write in this process drops it at once, so a change made through
 * another worker or instance takes effect everywhere within the TTL. Unknown ids are never cached.
 * One per process, shared by its public and admin apps.
 */
export class ClientCache {
  private readonly entries = new Map<string, { client: Client; expires: number }>();

  constructor(private readonly ttlMs: number) {}

  async get(id: string, load: (id: string) => Promise<Client | null>): Promise<Client | null> {
    if (this.ttlMs <= 0) return load(id);
    const now = Date.now();
    const hit = this.entries.get(id);
    if (hit && hit.expires > now) return hit.client;
    const client = await load(id);
    if (client) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(id, { client, expires: now + this.ttlMs });
    } else {
      this.entries.delete(id);
    }
    return client;
  }

  /** Forgets a client this process changed or deleted. */
  invalidate(id: string): void {
    this.entries.delete(id);
  }
}
