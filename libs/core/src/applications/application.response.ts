import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators';

/** Documentation of the Fluxer shapes both ports answer (application.presenter.ts builds them). */

const NULLABLE_STRING = { type: String, nullable: true } as const;

/** ApplicationBotResponse / BotProfileResponse: the bot user, whose id is the application's. */
export class BotResponse {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ example: '0000' }) discriminator: string;
  @ApiProperty({ ...NULLABLE_STRING, description: 'Hash of the avatar image.' }) avatar: string | null;
  @ApiProperty({ ...NULLABLE_STRING, description: 'Hash of the banner image.' }) banner: string | null;
  @ApiProperty(NULLABLE_STRING) bio: string | null;
  @ApiProperty({ type: 'integer' }) flags: number;
  @ApiPropertyOptional({ description: 'Only in the answer of a token reset.' }) token?: string;
}

/** OAuth2AuthorizationResponseApplication: what every view of an application shows. */
export class ApplicationCardResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty(NULLABLE_STRING) icon: string | null;
  @ApiProperty(NULLABLE_STRING) description: string | null;
  @ApiProperty() bot_public: boolean;
}

/** The application as a token's holder sees it (OAuth2MeResponse's application). */
export class ApplicationSummaryResponse extends ApplicationCardResponse {
  @ApiProperty() bot_require_code_grant: boolean;
  @ApiProperty({ type: 'integer', example: 0 }) flags: number;
}

/** A user in Fluxer's partial user shape; Hydrant keeps no users, so the subject is the id. */
export class UserResponse {
  @ApiProperty() id: string;
  @ApiProperty() username: string;
  @ApiProperty({ example: '0000' }) discriminator: string;
  @ApiProperty(NULLABLE_STRING) global_name: string | null;
  @ApiProperty(NULLABLE_STRING) avatar: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) avatar_color: number | null;
  @ApiProperty({ type: 'integer' }) flags: number;
}

/** ApplicationResponse, with Hydra's `client_id`, `owner` and the consent-screen fields beside Fluxer's. */
export class ApplicationResponse {
  @ApiProperty() id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [String] }) redirect_uris: string[];
  @ApiProperty() bot_public: boolean;
  @ApiProperty() bot_require_code_grant: boolean;
  @ApiPropertyOptional({ description: 'Only in the answer that issues it (create, secret reset).' }) client_secret?: string;
  @ApiProperty({ type: () => BotResponse }) bot: BotResponse;
  @ApiProperty() client_id: string;
  @ApiProperty() owner: string;
  @ApiProperty(NULLABLE_STRING) description: string | null;
  @ApiProperty(NULLABLE_STRING) icon: string | null;
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiProperty({ format: 'date-time' }) created_at: string;
}
