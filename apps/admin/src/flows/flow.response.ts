import { ApiProperty, ApiPropertyOptional, OAuth2ClientResponse } from '@hydrant/core';

/** Documentation of the login, consent and logout requests' answers (libs/core's flow presenters build them). */

const OBJECT = { type: 'object', additionalProperties: true } as const;

/** Hydra's OAuth2ConsentRequestOpenIDConnectContext. */
export class OidcContextResponse {
  @ApiProperty({ type: [String] }) acr_values: string[];
  @ApiProperty() display: string;
  @ApiPropertyOptional({ ...OBJECT, description: "The claims of the request's id_token_hint." }) id_token_hint_claims?: Record<string, unknown>;
  @ApiProperty() login_hint: string;
  @ApiProperty({ type: [String] }) ui_locales: string[];
}

/** Hydra's OAuth2LoginRequest. */
export class LoginRequestResponse {
  @ApiProperty() challenge: string;
  @ApiProperty({ type: () => OAuth2ClientResponse }) client: OAuth2ClientResponse;
  @ApiProperty() request_url: string;
  @ApiProperty({ type: [String] }) requested_scope: string[];
  @ApiProperty({ type: [String] }) requested_access_token_audience: string[];
  @ApiProperty({ description: 'A remembered login session authenticated `subject`: accept with it.' }) skip: boolean;
  @ApiProperty() subject: string;
  @ApiProperty() session_id: string;
  @ApiProperty({ type: () => OidcContextResponse }) oidc_context: OidcContextResponse;
}

/** Hydra's OAuth2ConsentRequest. */
export class ConsentRequestResponse {
  @ApiProperty() challenge: string;
  @ApiProperty({ type: () => OAuth2ClientResponse }) client: OAuth2ClientResponse;
  @ApiProperty() request_url: string;
  @ApiProperty({ type: [String] }) requested_scope: string[];
  @ApiProperty({ type: [String] }) requested_access_token_audience: string[];
  @ApiProperty() skip: boolean;
  @ApiProperty() subject: string;
  @ApiProperty() login_challenge: string;
  @ApiProperty() login_session_id: string;
  @ApiProperty() acr: string;
  @ApiProperty({ type: [String] }) amr: string[];
  @ApiProperty(OBJECT) context: Record<string, unknown>;
  @ApiProperty({ type: () => OidcContextResponse }) oidc_context: OidcContextResponse;
}

/** The extra claims a consent granted. */
export class ConsentSessionClaimsResponse {
  @ApiProperty(OBJECT) access_token: Record<string, unknown>;
  @ApiProperty(OBJECT) id_token: Record<string, unknown>;
}

/** Hydra's OAuth2ConsentSession: a granted consent. */
export class ConsentSessionResponse {
  @ApiProperty({ type: () => ConsentRequestResponse }) consent_request: ConsentRequestResponse;
  @ApiProperty({ type: [String] }) grant_scope: string[];
  @ApiProperty({ type: [String] }) grant_access_token_audience: string[];
  @ApiProperty() remember: boolean;
  @ApiProperty({ type: 'integer' }) remember_for: number;
  @ApiProperty({ format: 'date-time' }) handled_at: string;
  @ApiProperty({ type: () => ConsentSessionClaimsResponse }) session: ConsentSessionClaimsResponse;
  @ApiProperty(OBJECT) context: Record<string, unknown>;
}

/** Hydra's OAuth2LogoutRequest. */
export class LogoutRequestResponse {
  @ApiProperty() challenge: string;
  @ApiProperty() subject: string;
  @ApiProperty() sid: string;
  @ApiProperty() request_url: string;
  @ApiProperty() rp_initiated: boolean;
  @ApiProperty({ type: () => OAuth2ClientResponse, nullable: true, description: 'null when no client asked for the logout.' }) client: OAuth2ClientResponse | null;
  @ApiProperty({ format: 'date-time' }) requested_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

/** Hydra's OAuth2RedirectTo: where the browser goes next; also the 410 answer of a request already handled. */
export class RedirectToResponse {
  @ApiProperty() redirect_to: string;
}

/** Hydra v0's consent request (camelCase, as v0 named it). */
export class LegacyConsentRequestResponse {
  @ApiProperty({ description: 'The consent challenge.' }) id: string;
  @ApiProperty({ type: [String] }) requestedScopes: string[];
  @ApiProperty() clientId: string;
  @ApiProperty({ description: 'Where the browser goes once the request is decided.' }) redirectUrl: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

/** Hydra v0's answer to a consent request decided before: the admin error shape with v2's `redirect_to`. */
export class LegacyConsentHandledResponse {
  @ApiProperty({ example: 'request_already_handled' }) error: string;
  @ApiProperty() error_description: string;
  @ApiProperty({ type: 'integer', example: 410 }) status_code: number;
  @ApiProperty() redirect_to: string;
}
