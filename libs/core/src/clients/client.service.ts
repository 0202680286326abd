import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { applyPatch, JsonPatchError, Operation, validate as validatePatch } from 'fast-json-patch';
import { HydrantConfig } from '../config/hydrant.config';
import { Errors } from '../errors';
import type { TransactionRunner } from '../persistence/transaction.runner';
import { validateDto } from '../validation';
import { ApplicationSettings } from './application-settings.model';
import { ClientSecretHasher, safeEqual } from './client-secret.hasher';
import { ClientDto, ClientLifespansDto } from './client.dto';
import { ClientMetadata, LIFESPAN_FIELDS } from './client.metadata';
import { Client } from './client.model';
import { IssuedCredentials, presentClient } from './client.presenter';
import { ClientQuery, ClientStore } from './client.store';
import { normalizeLifespan, validateClientMetadata, withDefaults } from './client-metadata.validator';
import { SectorIdentifierVerifier } from './sector-identifier.verifier';

/** Hydra's minimum for a secret an operator chooses. */
const MIN_CHOSEN_SECRET_LENGTH = 6;

/** The operator's bounds on dynamic registration: throws for metadata beyond them (`held`: the current metadata). */
export type RegistrationAdmission = (metadata: ClientMetadata, held?: ClientMetadata) => void;

export interface ClientWithCredentials {
  client: Client;
  issued: IssuedCredentials;
}

export interface ClientPage {
  clients: Client[];
  total: number;
  /** Token of the next page, or undefined on the last one. */
  nextPageToken?: string;
}

export function hashRegistrationToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/**
 * The rules of client management shared by the admin API and dynamic registration: defaults, metadata
 * validation, secret issue and rotation, paging.
 */
export class ClientService {
  constructor(
    private readonly clients: ClientStore,
    private readonly hasher: ClientSecretHasher,
    private readonly transactions: TransactionRunner,
    private readonly config: HydrantConfig,
    private readonly sectors: SectorIdentifierVerifier,
  ) {}

  async get(id: string): Promise<Client> {
    const client = await this.clients.findById(id);
    if (!client) throw Errors.notFound().withHint(`The OAuth 2.0 client "${id}" does not exist.`);
    return client;
  }

  async list(query: { pageSize: number; pageToken?: string; offset?: number; clientName?: string; owner?: string }): Promise<ClientPage> {
    const afterId = query.pageToken !== undefined ? decodePageToken(query.pageToken) : undefined;
    const filter = { clientName: query.clientName, owner: query.owner };
    const spec: ClientQuery = { ...filter, afterId, offset: query.offset, limit: query.pageSize + 1 };
    const [found, total] = await Promise.all([this.clients.find(spec), this.clients.count(filter)]);
    const clients = found.slice(0, query.pageSize);
    const more = found.length > query.pageSize;
    return { clients, total, nextPageToken: more ? encodePageToken(clients[clients.length - 1].id) : undefined };
  }

  /**
   * Creates a client; `dynamic` applies RFC 7591 self-registration rules and issues a registration access
   * token and holds the metadata to `admit`; `application` makes it a Fluxer application with these settings.
   */
  async create(input: ClientDto, options: { dynamic?: boolean; admit?: RegistrationAdmission; application?: ApplicationSettings } = {}): Promise<ClientWithCredentials> {
    if (options.dynamic) refuseAdminOnlyFields(input);
    const metadata = this.validated(options.dynamic ? withoutAdminGovernedFields(input) : input);
    if (options.dynamic) options.admit?.(metadata);
    await this.sectors.verify(metadata);
    const now = new Date();
    const issued: IssuedCredentials = {};
    const client: Client = {
      id: options.dynamic ? randomUUID() : nonEmpty(input.client_id) ?? randomUUID(),
      metadata,
      secretHash: null,
      rotatedSecretHashes: [],
      registrationTokenHash: null,
      application: options.application ?? null,
      createdAt: now,
      updatedAt: now,
    };
    if (!/^[\x21-\x7E]+$/.test(client.id)) {
      throw Errors.invalidClientMetadata().withHint('Field "client_id" must be printable ASCII without spaces.');
    }
    await this.assignSecret(client, input.client_secret, issued);
    if (options.dynamic) {
      issued.registration_access_token = randomBytes(32).toString('base64url');
      client.registrationTokenHash = hashRegistrationToken(issued.registration_access_token);
    }
    await this.clients.insert(client);
    return { client, issued };
  }

  /**
   * PUT: replaces the metadata; the secret stays unless a new one is given (Hydra's semantics), and so do
   * the application settings unless `application` gives new ones. A `dynamic` update (RFC 7592) keeps the
   * secret whatever the body says, unless `secretMayChange` (Hydra v1's registration update), and holds the
   * new metadata to `admit`.
   */
  async replace(
    id: string,
    input: ClientDto,
    options: { dynamic?: boolean; secretMayChange?: boolean; admit?: RegistrationAdmission; application?: ApplicationSettings } = {},
  ): Promise<ClientWithCredentials> {
    // Before the transaction: the sector document is fetched, and a slow one must not hold the database.
    await this.sectors.verify(this.validated(withoutAdminGovernedFields(input)));
    return this.transactions.run(async () => {
      const existing = await this.clients.findById(id);
      if (!existing) throw Errors.notFound().withHint(`The OAuth 2.0 client "${id}" does not exist.`);
      if (nonEmpty(input.client_id) !== undefined && input.client_id !== id) {
        throw Errors.invalidRequest().withHint('Field "client_id" cannot be changed.');
      }
      const issued: IssuedCredentials = {};
      let metadata: ClientMetadata;
      if (options.dynamic) {
        refuseAdminOnlyFields({ ...input, client_id: undefined, client_secret: undefined });
        metadata = this.validated({ ...withoutAdminGovernedFields(input), ...(pick(existing.metadata, OPERATOR_FIELDS) as Partial<ClientDto>) });
        options.admit?.(metadata, existing.metadata);
        issued.registration_access_token = randomBytes(32).toString('base64url');
        existing.registrationTokenHash = hashRegistrationToken(issued.registration_access_token);
      } else {
        metadata = this.validated(input);
      }
      const updated: Client = { ...existing, metadata, application: options.application ?? existing.application, updatedAt: new Date() };
      await this.assignSecret(updated, options.dynamic && !options.secretMayChange ? undefined : input.client_secret, issued, existing);
      await this.clients.update(updated);
      return { client: updated, issued };
    });
  }

  /** PATCH with a JSON Patch document (RFC 6902) applied to the client's wire shape. */
  async patch(id: string, operations: unknown): Promise<ClientWithCredentials> {
    if (!Array.isArray(operations)) throw Errors.invalidRequest().withHint('The body must be a JSON Patch array (RFC 6902).');
    const current = presentClient(await this.get(id));
    let patched: unknown;
    try {
      const error = validatePatch(operations as Operation[], current);
      if (error) throw error;
      patched = applyPatch(current, operations as Operation[], false, false).newDocument;
    } catch (e) {
      if (e instanceof JsonPatchError) {
        throw Errors.invalidRequest().withHint(`The JSON Patch cannot be applied: ${e.name} ${e.message.split('\n')[0]}`);
      }
      // fast-json-patch throws plain TypeErrors too, for a path through __proto__ or constructor/prototype
      // (which it refuses) and for a move into the moved value: the patch's fault, and its text is not for callers.
      throw Errors.invalidRequest().withHint('The JSON Patch cannot be applied to this client.');
    }
    const input = await validateDto(ClientDto, patched);
    if (input.client_id !== id) throw Errors.invalidRequest().withHint('Field "client_id" cannot be changed.');
    return this.replace(id, input);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.clients.delete(id))) throw Errors.notFound().withHint(`The OAuth 2.0 client "${id}" does not exist.`);
  }

  async setLifespans(id: string, lifespans: ClientLifespansDto): Promise<Client> {
    return this.transactions.run(async () => {
      const client = await this.clients.findById(id);
      if (!client) throw Errors.notFound().withHint(`The OAuth 2.0 client "${id}" does not exist.`);
      for (const field of LIFESPAN_FIELDS) {
        const lifespan = nonEmpty(lifespans[field]);
        client.metadata[field] = lifespan === undefined ? null : normalizeLifespan(lifespan, field);
      }
      client.updatedAt = new Date();
      await this.clients.update(client);
      return client;
    });
  }

  /** Issues a new secret; the previous ones keep working (up to OAUTH2_CLIENT_SECRET_ROTATION_KEEP) until dropped. */
  async rotateSecret(id: string): Promise<ClientWithCredentials> {
    return this.transactions.run(async () => {
      const client = await this.clients.findById(id);
      if (!client) throw Errors.notFound().withHint(`The OAuth 2.0 client "${id}" does not exist.`);
      if (client.secretHash === null) {
        throw Errors.invalidRequest().withHint(`The client authenticates with "${client.metadata.token_endpoint_auth_method}" and has no secret to rotate.`);
      }
      const secret = this.hasher.generate();
      const keep = this.config.oauth2ClientSecretRotationKeep;
      client.rotatedSecretHashes = [client.secretHash, ...client.rotatedSecretHashes].slice(0, keep);
      client.secretHash = this.hasher.hashGenerated(secret);
      client.updatedAt = new Date();
      await this.clients.update(client);
      return { client, issued: { client_secret: secret } };
    });
  }

  /** Drops every previous secret: only the current one works from now on. */
  async dropRotatedSecrets(id: string): Promise<void> {
    await this.transactions.run(async () => {
      const client = await this.clients.findById(id);
      if (!client) throw Errors.notFound().withHint(`The OAuth 2.0 client "${id}" does not exist.`);
      client.rotatedSecretHashes = [];
      client.updatedAt = new Date();
      await this.clients.update(client);
    });
  }

  /** Whether `secret` is the client's current secret or one still valid after a rotation. Constant-time per hash. */
  verifySecret(client: Client, secret: string): Promise<boolean> {
    return this.hasher.verifyAny(secret, [client.secretHash, ...client.rotatedSecretHashes]);
  }

  /** RFC 7592 §3: the registration access token must match the one issued for this client. */
  async authenticateRegistration(id: string, token: string | undefined): Promise<Client> {
    const client = token ? await this.clients.findById(id) : null;
    const presented = Buffer.from(hashRegistrationToken(token ?? ''));
    const expected = Buffer.from(client?.registrationTokenHash ?? hashRegistrationToken(randomUUID()));
    if (!client || !safeEqual(presented, expected)) {
      throw Errors.invalidToken().withHint('The registration access token is missing, invalid, or not for this client.');
    }
    return client;
  }

  private validated(input: ClientDto): ClientMetadata {
    const metadata = withDefaults(input);
    validateClientMetadata(metadata, { subjectTypes: this.config.oidcSubjectIdentifiersSupportedTypes, dev: this.config.dev });
    return metadata;
  }

  /** Gives the client the secret its auth method needs: the one the caller chose, the existing one, or a new one. */
  private async assignSecret(client: Client, chosen: string | null | undefined, issued: IssuedCredentials, existing?: Client): Promise<void> {
    const method = client.metadata.token_endpoint_auth_method;
    const usesSecret = method === 'client_secret_basic' || method === 'client_secret_post';
    const given = nonEmpty(chosen);
    if (!usesSecret) {
      if (given !== undefined) {
        throw Errors.invalidClientMetadata().withHint(`Field "client_secret" must not be set when "token_endpoint_auth_method" is "${method}".`);
      }
      client.secretHash = null;
      client.rotatedSecretHashes = [];
      return;
    }
    if (given !== undefined) {
      if (given.length < MIN_CHOSEN_SECRET_LENGTH) {
        throw Errors.invalidClientMetadata().withHint(`Field "client_secret" must be at least ${MIN_CHOSEN_SECRET_LENGTH} characters long.`);
      }
      client.secretHash = await this.hasher.hashChosen(given);
      issued.client_secret = given;
      return;
    }
    if (existing?.secretHash) {
      client.secretHash = existing.secretHash;
      return;
    }
    const secret = this.hasher.generate();
    client.secretHash = this.hasher.hashGenerated(secret);
    issued.client_secret = secret;
  }
}

/** Fields a self-registering client may not set (Hydra refuses them too): they are the operator's decisions. */
const REFUSED_IN_REGISTRATION = ['metadata', 'skip_consent', 'skip_logout_consent', 'client_secret', 'client_id'] as const;
/** Fields registration ignores; a registration update keeps the operator's values of these and of the refused ones. */
const IGNORED_IN_REGISTRATION = ['owner', 'access_token_strategy', ...LIFESPAN_FIELDS] as const;
const OPERATOR_FIELDS = ['metadata', 'skip_consent', 'skip_logout_consent', ...IGNORED_IN_REGISTRATION];

function refuseAdminOnlyFields(input: ClientDto): void {
  for (const field of REFUSED_IN_REGISTRATION) {
    const value = input[field];
    if (value !== undefined && value !== null && value !== false && value !== '') {
      throw Errors.invalidClientMetadata().withHint(`Field "${field}" cannot be set through dynamic client registration.`);
    }
  }
}

function withoutAdminGovernedFields(input: ClientDto): ClientDto {
  const copy: ClientDto = { ...input };
  for (const field of IGNORED_IN_REGISTRATION) delete copy[field];
  return copy;
}

function pick<T extends object>(source: T, keys: string[]): Partial<T> {
  return Object.fromEntries(keys.map((k) => [k, (source as Record<string, unknown>)[k]])) as Partial<T>;
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === null || value === undefined || value === '' ? undefined : value;
}

function encodePageToken(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

function decodePageToken(token: string): string {
  const id = Buffer.from(token, 'base64url').toString('utf8');
  // A token holds a client id, which is printable ASCII; anything else (a NUL, say) would only reach the database.
  if (!/^[A-Za-z0-9_-]+$/.test(token) || !/^[\x21-\x7E]+$/.test(id)) throw Errors.invalidRequest().withHint('The "page_token" is invalid.');
  return id;
}
