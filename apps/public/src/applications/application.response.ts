import { ApiProperty, ApiPropertyOptional, ApplicationCardResponse, ApplicationSummaryResponse, BotResponse, UserResponse } from '@hydrant/core';

/** Fluxer's ApplicationPublicResponse: what a consent screen shows, for anyone; never a secret or the owner. */
export class PublicApplicationResponse extends ApplicationCardResponse {
  @ApiProperty({ type: [String] }) redirect_uris: string[];
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ type: () => BotResponse }) bot: BotResponse;
}

/** Fluxer's ApplicationsMeResponse: the application of a bot token. */
export class BotApplicationResponse extends ApplicationSummaryResponse {
  @ApiProperty({ example: '' }) verify_key: string;
  @ApiProperty({ type: () => UserResponse }) owner: UserResponse;
  @ApiProperty({ type: () => BotResponse }) bot: BotResponse;
  @ApiProperty({ type: [String] }) redirect_uris: string[];
}

/** The user of an access token as its application sees them; the email with the `email` scope. */
export class CurrentUserResponse extends UserResponse {
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional() verified?: boolean;
}

/** Fluxer's OAuth2MeResponse: what the presented access token is authorized for. */
export class CurrentAuthorizationResponse {
  @ApiProperty({ type: () => ApplicationSummaryResponse }) application: ApplicationSummaryResponse;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ format: 'date-time' }) expires: string;
  @ApiPropertyOptional({ type: () => CurrentUserResponse, description: 'With `identify` granted to a user.' }) user?: CurrentUserResponse;
}
