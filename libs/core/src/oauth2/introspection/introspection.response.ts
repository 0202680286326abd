import { ApiProperty, ApiPropertyOptional } from '../../openapi/swagger-decorators';

/** RFC 7662 §2.1: the introspection request, a form. */
export class IntrospectionForm {
  @ApiProperty({ description: 'The access, refresh or personal access token.' }) token: string;
  @ApiPropertyOptional({ description: 'Space separated scopes the token must hold to be active.' }) scope?: string;
}

/** RFC 7662 §2.2 with Hydra's IntrospectedOAuth2Token fields (documentation of IntrospectedToken). */
export class IntrospectedTokenResponse {
  @ApiProperty() active: boolean;
  @ApiPropertyOptional() scope?: string;
  @ApiPropertyOptional({ description: 'Absent for personal access tokens.' }) client_id?: string;
  @ApiPropertyOptional() sub?: string;
  @ApiPropertyOptional({ type: 'integer' }) exp?: number;
  @ApiPropertyOptional({ type: 'integer' }) iat?: number;
  @ApiPropertyOptional({ type: 'integer' }) nbf?: number;
  @ApiPropertyOptional({ type: [String] }) aud?: string[];
  @ApiPropertyOptional() iss?: string;
  @ApiPropertyOptional({ example: 'Bearer' }) token_type?: string;
  @ApiPropertyOptional({ enum: ['access_token', 'refresh_token', 'personal_access_token'] }) token_use?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Extra claims the consent granted.' }) ext?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The subject as a pairwise client knows it.' }) obfuscated_subject?: string;
  @ApiPropertyOptional({ description: "Hydra's field; Hydrant never sets it." }) username?: string;
}
