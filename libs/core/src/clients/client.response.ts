import { ApiClientMetadata, CLIENT_METADATA_DOCS } from './client-fields.openapi';
import { ClientMetadata } from './client.metadata';
import { ApiProperty, ApiPropertyOptional } from '../openapi/swagger-decorators';

/** Hydra's OAuth2Client as presentClient answers it (documentation only; never a stored hash). */
@ApiClientMetadata('response', Object.keys(CLIENT_METADATA_DOCS) as Array<keyof ClientMetadata>)
export class OAuth2ClientResponse {
  @ApiProperty() client_id: string;
  @ApiPropertyOptional({ description: 'Only in the answer that issues it (create, replace with a new secret, rotation).' }) client_secret?: string;
  @ApiProperty({ description: 'Always 0: secrets do not expire.', example: 0 }) client_secret_expires_at: number;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiPropertyOptional({ description: 'Dynamic registration only, in the answer that issues it.' }) registration_access_token?: string;
  @ApiPropertyOptional({ description: 'Dynamic registration only.' }) registration_client_uri?: string;
}
