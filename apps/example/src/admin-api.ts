import type { AxiosError } from 'axios';
import { Configuration, OAuth2Api } from '@ory/hydra-client';

export interface AdminApiOptions {
  /** Hydrant's (or Hydra's) admin API, e.g. `http://127.0.0.1:4445`. */
  adminUrl: string;
  /** One of SERVE_ADMIN_API_KEYS, when the admin API requires a key. */
  adminApiKey?: string;
}

/**
 * The admin API through Hydra's own SDK, as any Hydra login app talks to it. SDK v26 declares no security
 * on the admin operations (its `accessToken` is never sent for them), so the key travels as a default header.
 */
export function adminApi({ adminUrl, adminApiKey }: AdminApiOptions): OAuth2Api {
  const headers = adminApiKey ? { Authorization: `Bearer ${adminApiKey}` } : {};
  return new OAuth2Api(new Configuration({ basePath: adminUrl.replace(/\/+$/, ''), baseOptions: { headers } }));
}

/** What the SDK rejects with: an AxiosError, carrying the admin API's answer when there was one. */
export type AdminFailure = AxiosError<{ redirect_to?: unknown; error?: unknown; error_description?: unknown }>;

/** Duck-typed, not axios's `isAxiosError`: axios is the SDK's dependency, not this app's (only its type is borrowed). */
export function isAdminFailure(e: unknown): e is AdminFailure {
  return typeof e === 'object' && e !== null && (e as { isAxiosError?: unknown }).isAxiosError === true;
}
