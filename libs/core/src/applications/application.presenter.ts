import { ApplicationSettings, defaultApplicationSettings } from '../clients/application-settings.model';
import { Client } from '../clients/client.model';

/** Fluxer's shapes of an application and its bot, drawn from the client; secrets only where they are issued. */

export function applicationSettings(client: Client): ApplicationSettings {
  return client.application ?? defaultApplicationSettings(client.metadata.client_name);
}

/** The icon a consent screen shows: the application's own, else the client's logo. */
function icon(client: Client): string | null {
  return applicationSettings(client).icon ?? (client.metadata.logo_uri || null);
}

/** ApplicationBotResponse / BotProfileResponse: the bot user, whose id is the application's. */
export function presentBot(client: Client, token?: string): Record<string, unknown> {
  const { bot } = applicationSettings(client);
  return {
    id: client.id,
    username: bot.username,
    discriminator: bot.discriminator,
    avatar: bot.avatar,
    banner: bot.banner,
    bio: bot.bio,
    flags: bot.flags,
    ...(token !== undefined ? { token } : {}),
  };
}

/** ApplicationResponse, with Hydra's `client_id`, `owner` and the consent-screen fields beside Fluxer's. */
export function presentApplication(client: Client, clientSecret?: string): Record<string, unknown> {
  const settings = applicationSettings(client);
  return {
    id: client.id,
    name: client.metadata.client_name,
    redirect_uris: client.metadata.redirect_uris,
    bot_public: settings.botPublic,
    bot_require_code_grant: settings.botRequireCodeGrant,
    ...(clientSecret !== undefined ? { client_secret: clientSecret } : {}),
    bot: presentBot(client),
    client_id: client.id,
    owner: client.metadata.owner,
    description: settings.description,
    icon: icon(client),
    scopes: client.metadata.scope.split(' ').filter(Boolean),
    created_at: client.createdAt.toISOString(),
  };
}

/** What every view of an application shows: OAuth2AuthorizationResponseApplication. */
export function presentApplicationCard(client: Client): Record<string, unknown> {
  return {
    id: client.id,
    name: client.metadata.client_name,
    icon: icon(client),
    description: applicationSettings(client).description,
    bot_public: applicationSettings(client).botPublic,
  };
}

/** ApplicationPublicResponse: what a consent screen shows, for anyone; never a secret or the owner. */
export function presentPublicApplication(client: Client): Record<string, unknown> {
  return {
    ...presentApplicationCard(client),
    redirect_uris: client.metadata.redirect_uris,
    scopes: client.metadata.scope.split(' ').filter(Boolean),
    bot: presentBot(client),
  };
}

/** The application as a token's holder sees it (OAuth2MeResponse). */
export function presentApplicationSummary(client: Client): Record<string, unknown> {
  return { ...presentApplicationCard(client), bot_require_code_grant: applicationSettings(client).botRequireCodeGrant, flags: 0 };
}

/**
 * A user as Fluxer's partial user shape names it. Hydrant keeps no users: the subject is the id, and the
 * fields Fluxer requires carry neutral values.
 */
export function presentUser(subject: string): Record<string, unknown> {
  return { id: subject, username: subject, discriminator: '0000', global_name: null, avatar: null, avatar_color: null, flags: 0 };
}

/** ApplicationsMeResponse: the application of a bot token. */
export function presentBotApplication(client: Client): Record<string, unknown> {
  return {
    ...presentApplicationSummary(client),
    verify_key: '',
    owner: presentUser(client.metadata.owner),
    bot: presentBot(client),
    redirect_uris: client.metadata.redirect_uris,
  };
}
