/**
 * A personal access token (Spatio's PAT): a bearer token an operator issues for a subject, outside any
 * OAuth grant. Like every token it is kept by its signature, never as the token.
 */
export interface PersonalAccessToken {
  id: string;
  signature: string;
  subject: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  expiresAt: Date;
}

/** What personal access tokens need from storage. */
export interface PersonalAccessTokenStore {
  insert(pat: PersonalAccessToken): Promise<void>;
  findBySignature(signature: string): Promise<PersonalAccessToken | null>;
  /** A subject's tokens, newest first. */
  findBySubject(subject: string): Promise<PersonalAccessToken[]>;
  /** Deletes one token; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Deletes up to `batchSize` tokens that expired before `before`; answers how many. */
  deleteExpiredBatch(before: Date, batchSize: number): Promise<number>;
}
