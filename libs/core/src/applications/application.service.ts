import { ApplicationSettings, defaultApplicationSettings } from '../clients/application-settings.model';
import { ClientDto } from '../clients/client.dto';
import { Client } from '../clients/client.model';
import { ClientStore } from '../clients/client.store';
import { ClientService } from '../clients/client.service';
import { Errors } from '../errors';
import { validateDto } from '../validation';
import { CreateApplicationDto, UpdateApplicationDto } from './application.dto';
import { applicationSettings, presentApplication, presentPublicApplication } from './application.presenter';

/** What a Fluxer application may do: the code flow with refresh, and client credentials for itself. */
const APPLICATION_GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'];

/** Fluxer's scopes, and OIDC's so that a Fluxer application can sign users in with OpenID Connect too. */
export const APPLICATION_SCOPES = ['identify', 'email', 'guilds', 'connections', 'bot', 'openid', 'profile', 'offline_access', 'offline'];

/** The most applications one owner's list answers: Fluxer caps an account far below it. */
const MAX_OWNED = 1000;

/**
 * Fluxer's applications on the admin port. An application is a client with an owner, created and changed
 * through ClientService (the same metadata rules, secret hashing and rotation as every client), with its
 * Fluxer settings beside the metadata. `owner`, when given, is the user the operator acts for: an
 * application of anyone else is answered as unknown (404).
 */
export class ApplicationService {
  constructor(
    private readonly clients: ClientService,
    private readonly clientStore: ClientStore,
  ) {}

  /** Creates the application; its secret is in this answer only. */
  async create(input: CreateApplicationDto, ownerParam: string | undefined): Promise<Record<string, unknown>> {
    if (ownerParam !== undefined && input.owner !== undefined && ownerParam !== input.owner) {
      throw Errors.invalidRequest().withHint('The owner in the query and the owner in the body differ.');
    }
    const owner = ownerParam ?? input.owner;
    if (!owner) throw Errors.invalidRequest().withHint('Name the owner, as "?owner=" or as "owner" in the body.');
    const settings: ApplicationSettings = {
      ...defaultApplicationSettings(input.name),
      description: input.description ?? null,
      icon: input.icon ?? null,
      botPublic: input.bot_public ?? true,
      botRequireCodeGrant: input.bot_require_code_grant ?? false,
    };
    const metadata: ClientDto = {
      client_name: input.name,
      redirect_uris: input.redirect_uris ?? [],
      grant_types: APPLICATION_GRANT_TYPES,
      response_types: ['code'],
      scope: APPLICATION_SCOPES.join(' '),
      token_endpoint_auth_method: 'client_secret_basic',
      owner,
    };
    const { client, issued } = await this.clients.create(await validateDto(ClientDto, metadata), { application: settings });
    return presentApplication(client, issued.client_secret);
  }

  async get(id: string, owner: string | undefined): Promise<Record<string, unknown>> {
    return presentApplication(await this.find(id, owner));
  }

  /** The owner's applications, oldest id first. */
  async listOwned(owner: string | undefined): Promise<Array<Record<string, unknown>>> {
    if (!owner) throw Errors.invalidRequest().withHint('The "owner" parameter is required.');
    return (await this.clientStore.find({ owner, limit: MAX_OWNED })).map((client) => presentApplication(client));
  }

  /** A partial update; credentials stay as they are. */
  async update(id: string, owner: string | undefined, input: UpdateApplicationDto): Promise<Record<string, unknown>> {
    const client = await this.find(id, owner);
    const settings = applicationSettings(client);
    const next: ApplicationSettings = {
      ...settings,
      description: input.description !== undefined ? input.description : settings.description,
      icon: input.icon !== undefined ? input.icon : settings.icon,
      botPublic: input.bot_public ?? settings.botPublic,
      botRequireCodeGrant: input.bot_require_code_grant ?? settings.botRequireCodeGrant,
    };
    const metadata = {
      ...client.metadata,
      client_name: input.name ?? client.metadata.client_name,
      redirect_uris: input.redirect_uris !== undefined ? input.redirect_uris ?? [] : client.metadata.redirect_uris,
    };
    const { client: updated } = await this.clients.replace(id, await validateDto(ClientDto, metadata), { application: next });
    return presentApplication(updated);
  }

  /** Deletes the client: its tokens, codes and consents go with it (the database cascades), at once. */
  async delete(id: string, owner: string | undefined): Promise<void> {
    await this.find(id, owner);
    await this.clients.delete(id);
  }

  /** A new secret, returned once; earlier secrets and every issued token keep working (secret rotation). */
  async resetSecret(id: string, owner: string | undefined): Promise<Record<string, unknown>> {
    await this.find(id, owner);
    const { client, issued } = await this.clients.rotateSecret(id);
    return presentApplication(client, issued.client_secret);
  }

  /** What a consent screen may show of any application, without authentication. */
  async publicView(id: string): Promise<Record<string, unknown>> {
    return presentPublicApplication(await this.find(id, undefined));
  }

  /** The application `id`, if it exists and (when `owner` is given) belongs to that owner. */
  async find(id: string, owner: string | undefined): Promise<Client> {
    const client = await this.clientStore.findById(id);
    if (!client || (owner !== undefined && client.metadata.owner !== owner)) {
      throw Errors.notFound().withHint(`The application "${id}" does not exist.`);
    }
    return client;
  }
}
