import { HydrantConfig } from '../config/hydrant.config';
import { publicEndpoint } from '../config/urls';
import { DEVICE_CODE_GRANT } from '../device/device-request.model';
import { SUPPORTED_CLAIMS } from './claims-by-scope';

/**
 * OIDC Discovery 1.0 §3 and RFC 8414 §2 in one document, stating only what Hydrant does. It is a pure
 * function of the configuration, so every worker and instance serves the same one.
 */
export function discoveryDocument(config: HydrantConfig): Record<string, unknown> {
  const url = (path: string) => publicEndpoint(config, path);
  return {
    issuer: config.urlsSelfIssuer,
    authorization_endpoint: url('oauth2/auth'),
    token_endpoint: url('oauth2/token'),
    jwks_uri: url('.well-known/jwks.json'),
    userinfo_endpoint: url('userinfo'),
    revocation_endpoint: url('oauth2/revoke'),
    introspection_endpoint: url('oauth2/introspect'),
    end_session_endpoint: url('oauth2/sessions/logout'),
    device_authorization_endpoint: url('oauth2/device/auth'),
    ...(config.oidcDynamicClientRegistrationEnabled ? { registration_endpoint: url('oauth2/register') } : {}),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:jwt-bearer', DEVICE_CODE_GRANT],
    subject_types_supported: config.oidcSubjectIdentifiersSupportedTypes,
    id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    userinfo_signing_alg_values_supported: ['none'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    code_challenge_methods_supported: ['S256'],
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    scopes_supported: ['openid', 'offline_access', 'offline', 'profile', 'email', 'address', 'phone'],
    claims_supported: SUPPORTED_CLAIMS,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: true,
    authorization_response_iss_parameter_supported: true,
    frontchannel_logout_supported: true,
    frontchannel_logout_session_supported: true,
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
}
