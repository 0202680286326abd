import { createHash, randomUUID } from 'node:crypto';

import { ApplicationSettings, BotProfile } from '../clients/application-settings.model';
import { Client } from '../clients/client.model';
import { ClientStore } from '../clients/client.store';
import { Errors } from '../errors';
import type { TransactionRunner } from '../persistence/transaction.runner';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { isTokenUsable } from '../tokens/token.model';
import { TokenStore } from '../tokens/token.store';
import { TokenResolver } from '../tokens/token.resolver';
import { UpdateBotProfileDto } from './application.dto';
import { applicationSettings, presentBot, presentBotApplication } from './application.presenter';
import { ApplicationService } from './application.service';

/** A bot token lives until it is reset or its application is deleted; ten years stands for "until then". */
const BOT_TOKEN_LIFESPAN_MS = 10 * 365 * 24 * 3600_000;

/**
 * An application's bot (Fluxer): its token and its profile. A bot token is an access token of the
 * application for its bot user (subject: the application id, scope `bot`), issued like any access token
 * and stored by signature. All bot tokens of one application share a request id, recorded in its
 * settings; a reset issues a new one under a new request id and retires the old ones in the same
 * transaction, so every earlier bot token stops working at once, on every worker.
 */
export class BotService {
  constructor(
    private readonly applications: ApplicationService,
    private readonly clients: ClientStore,
    private readonly issuer: AccessTokenIssuer,
    private readonly tokens: TokenStore,
    private readonly resolver: TokenResolver,
    private readonly transactions: TransactionRunner,
  ) {}

  /** BotTokenResetResponse: the new token, in this answer only, and the bot. */
  async resetToken(id: string, owner: string | undefined): Promise<Record<string, unknown>> {
    const client = await this.applications.find(id, owner);
    const grantId = randomUUID();
    const { token, record } = await this.issuer.issue({
      client, subject: client.id, scopes: ['bot'], audience: [], requestId: grantId, lifespanMs: BOT_TOKEN_LIFESPAN_MS,
    });
    const updated = await this.change(id, async (current) => {
      const previous = applicationSettings(current).botGrantId;
      if (previous !== null) await this.tokens.deactivateRequest(previous);
      await this.tokens.insert([record]);
      return { botGrantId: grantId };
    });
    return { token, bot: presentBot(updated, token) };
  }

  /** BotProfileResponse after applying the given fields; images are kept as their hash, as Fluxer answers them. */
  async updateProfile(id: string, owner: string | undefined, input: UpdateBotProfileDto): Promise<Record<string, unknown>> {
    await this.applications.find(id, owner);
    const updated = await this.change(id, async (current) => {
      const bot = applicationSettings(current).bot;
      const next: BotProfile = {
        username: input.username ?? bot.username,
        discriminator: input.discriminator?.padStart(4, '0') ?? bot.discriminator,
        avatar: input.avatar === undefined ? bot.avatar : imageHash(input.avatar),
        banner: input.banner === undefined ? bot.banner : imageHash(input.banner),
        bio: input.bio === undefined ? bot.bio : input.bio,
        flags: input.bot_flags ?? bot.flags,
      };
      return { bot: next };
    });
    return presentBot(updated);
  }

  /** ApplicationsMeResponse for a presented bot token; anything but a current bot token is `invalid_token`. */
  async applicationOf(botToken: string | undefined): Promise<Record<string, unknown>> {
    const record = botToken ? await this.resolver.resolve(botToken) : null;
    const client = record && record.kind === 'access_token' && isTokenUsable(record) ? await this.clients.findById(record.clientId) : null;
    if (!record || !client || client.application?.botGrantId !== record.requestId) {
      throw Errors.invalidToken().withHint('The bot token is missing, expired, reset, or not a bot token.');
    }
    return presentBotApplication(client);
  }

  /** Changes the settings of application `id` in one unit of work with whatever `work` writes beside them. */
  private async change(id: string, work: (current: Client) => Promise<Partial<ApplicationSettings>>): Promise<Client> {
    return this.transactions.run(async () => {
      const current = await this.clients.findById(id);
      if (!current) throw Errors.notFound().withHint(`The application "${id}" does not exist.`);
      current.application = { ...applicationSettings(current), ...(await work(current)) };
      current.updatedAt = new Date();
      await this.clients.update(current);
      return current;
    });
  }
}

function imageHash(image: string | null): string | null {
  return image === null || image === '' ? null : createHash('sha256').update(image).digest('hex').slice(0, 32);
}
