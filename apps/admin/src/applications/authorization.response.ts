import { ApiProperty, ApplicationCardResponse, BotResponse } from '@hydrant/core';

/** Fluxer's OAuth2AuthorizationResponse: an application a user authorized, every scope granted, and since when. */
export class AuthorizationResponse {
  @ApiProperty({ type: () => ApplicationCardResponse }) application: ApplicationCardResponse;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ format: 'date-time' }) authorized_at: string;
}

/** Fluxer's bot token reset: the new token, returned once, and the bot. */
export class BotTokenResetResponse {
  @ApiProperty() token: string;
  @ApiProperty({ type: () => BotResponse }) bot: BotResponse;
}

/** The first-party consent's answer: where the browser goes (the client's redirect URI with a code). */
export class FirstPartyConsentResponse {
  @ApiProperty() redirect_to: string;
}
