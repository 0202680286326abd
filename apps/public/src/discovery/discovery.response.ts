import type { ApiPropertyOptions } from '@nestjs/swagger';
import { ApiProperty, ApiPropertyOptional } from '@hydrant/core';

const STRINGS: ApiPropertyOptions = { type: [String] };

/** OIDC Discovery 1.0 §3 and RFC 8414 §2, as libs/core's discoveryDocument answers them. */
export class DiscoveryDocumentResponse {
  @ApiProperty() issuer: string;
  @ApiProperty() authorization_endpoint: string;
  @ApiProperty() token_endpoint: string;
  @ApiProperty() jwks_uri: string;
  @ApiProperty() userinfo_endpoint: string;
  @ApiProperty() revocation_endpoint: string;
  @ApiProperty() introspection_endpoint: string;
  @ApiProperty() end_session_endpoint: string;
  @ApiProperty() device_authorization_endpoint: string;
  @ApiPropertyOptional({ description: 'When dynamic client registration is enabled.' }) registration_endpoint?: string;
  @ApiProperty(STRINGS) response_types_supported: string[];
  @ApiProperty(STRINGS) response_modes_supported: string[];
  @ApiProperty(STRINGS) grant_types_supported: string[];
  @ApiProperty(STRINGS) subject_types_supported: string[];
  @ApiProperty(STRINGS) id_token_signing_alg_values_supported: string[];
  @ApiProperty(STRINGS) userinfo_signing_alg_values_supported: string[];
  @ApiProperty(STRINGS) token_endpoint_auth_methods_supported: string[];
  @ApiProperty(STRINGS) token_endpoint_auth_signing_alg_values_supported: string[];
  @ApiProperty(STRINGS) revocation_endpoint_auth_methods_supported: string[];
  @ApiProperty(STRINGS) introspection_endpoint_auth_methods_supported: string[];
  @ApiProperty(STRINGS) code_challenge_methods_supported: string[];
  @ApiProperty(STRINGS) prompt_values_supported: string[];
  @ApiProperty(STRINGS) scopes_supported: string[];
  @ApiProperty(STRINGS) claims_supported: string[];
  @ApiProperty() claims_parameter_supported: boolean;
  @ApiProperty() request_parameter_supported: boolean;
  @ApiProperty() request_uri_parameter_supported: boolean;
  @ApiProperty() require_request_uri_registration: boolean;
  @ApiProperty() authorization_response_iss_parameter_supported: boolean;
  @ApiProperty() frontchannel_logout_supported: boolean;
  @ApiProperty() frontchannel_logout_session_supported: boolean;
  @ApiProperty() backchannel_logout_supported: boolean;
  @ApiProperty() backchannel_logout_session_supported: boolean;
}
