import { ApplicationSettings } from './application-settings.model';
import { ClientMetadata } from './client.metadata';

/** A client as Hydrant keeps it: its metadata plus what never leaves the server. */
export interface Client {
  id: string;
  metadata: ClientMetadata;
  /** See client-secret.hasher.ts; null for clients without a secret (none, private_key_jwt). */
  secretHash: string | null;
  /** Previous secrets that keep working after a rotation, newest first. */
  rotatedSecretHashes: string[];
  registrationTokenHash: string | null;
  /** Set once the client is managed as a Fluxer application (applications/); null for a plain client. */
  application: ApplicationSettings | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Whether the client authenticates at the token endpoint (RFC 6749 §2.1 confidential client). */
export function isPublicClient(client: Client): boolean {
  return client.metadata.token_endpoint_auth_method === 'none';
}
