import { Client } from './client.model';

/** What a response may add to the stored client: secrets exist in plain text only in the answer that issues them. */
export interface IssuedCredentials {
  client_secret?: string;
  registration_access_token?: string;
  registration_client_uri?: string;
}

/** The OAuth2Client wire shape of Hydra's v2 API (never a stored hash). */
export function presentClient(client: Client, issued: IssuedCredentials = {}): Record<string, unknown> {
  const { jwks, access_token_strategy, ...metadata } = client.metadata;
  return {
    client_id: client.id,
    ...(issued.client_secret !== undefined ? { client_secret: issued.client_secret } : {}),
    ...metadata,
    ...(jwks !== null ? { jwks } : {}),
    ...(access_token_strategy !== '' ? { access_token_strategy } : {}),
    client_secret_expires_at: 0,
    created_at: client.createdAt.toISOString(),
    updated_at: client.updatedAt.toISOString(),
    ...(issued.registration_access_token !== undefined ? { registration_access_token: issued.registration_access_token } : {}),
    ...(issued.registration_client_uri !== undefined ? { registration_client_uri: issued.registration_client_uri } : {}),
  };
}
