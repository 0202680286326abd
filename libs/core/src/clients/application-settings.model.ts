/**
 * What makes a client a Fluxer application beyond its OAuth metadata: a description and icon for consent
 * screens, its bot's settings and profile, and which bot token is the current one. An application is a
 * client with an owner (`metadata.owner`); a client that never went through the applications API has no
 * settings yet and reads as `defaultApplicationSettings`.
 */
export interface ApplicationSettings {
  description: string | null;
  icon: string | null;
  botPublic: boolean;
  botRequireCodeGrant: boolean;
  bot: BotProfile;
  /** The request id of the current bot token (so one statement retires it); null until the first reset. */
  botGrantId: string | null;
}

/** The bot user of an application (Fluxer's BotProfileResponse); its id is the application's. */
export interface BotProfile {
  username: string;
  discriminator: string;
  /** Hash of the avatar image the operator uploaded, as Fluxer answers it; the image itself is not kept. */
  avatar: string | null;
  banner: string | null;
  bio: string | null;
  flags: number;
}

/** Fluxer's defaults: anyone may add the bot, and adding it needs no code grant. */
export function defaultApplicationSettings(name: string): ApplicationSettings {
  return {
    description: null,
    icon: null,
    botPublic: true,
    botRequireCodeGrant: false,
    bot: { username: name || 'bot', discriminator: '0000', avatar: null, banner: null, bio: null, flags: 0 },
    botGrantId: null,
  };
}
