import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiFormBody, ApiOkResponse, ApiTags, IntrospectedTokenResponse } from '@hydrant/core';
import { CLIENT_AUTHENTICATION_FIELDS } from './client-authentication.params';
import { DEVICE_AUTHORIZATION_PATH } from './device-authorization.route';
import { PUBLIC_INTROSPECTION_PATH } from './introspection.route';
import { REVOCATION_PATHS } from './revocation.route';
import { TOKEN_PATH } from './token.route';
import { DeviceAuthorizationResponse, TokenResponse } from './token.response';

const SERVED_BY_FAST_ROUTE = 'documentation only: a fast route serves this path';
const MULTIPART = 'multipart/form-data';

/**
 * The OpenAPI description of the public port's fast routes (token, revocation, introspection, device
 * authorization; libs/core/src/http/fast-routes.ts). Only the document builder scans this class: the public
 * module does not route it, so it never answers a request and adds nothing to the hot paths.
 */
@ApiTags('oauth2')
@ApiBasicAuth('client_secret_basic')
@Controller()
export class PublicFastRoutesDocumentation {
  /** RFC 6749 §3.2, RFC 7523 §2.1, RFC 8628 §3.4 */
  @Post(TOKEN_PATH)
  @HttpCode(200)
  @ApiFormBody(
    {
      grant_type: { required: true, description: '`authorization_code`, `refresh_token`, `client_credentials`, `urn:ietf:params:oauth:grant-type:jwt-bearer` or `urn:ietf:params:oauth:grant-type:device_code`.' },
      code: { description: 'authorization_code: the code.' },
      redirect_uri: { description: 'authorization_code: the redirect URI of the authorization request.' },
      code_verifier: { description: 'authorization_code: the PKCE verifier.' },
      refresh_token: { description: 'refresh_token: the refresh token.' },
      scope: { description: 'Space separated; client_credentials, refresh_token (narrowing) and jwt-bearer.' },
      audience: { description: 'Space separated audiences; client_credentials and jwt-bearer.' },
      assertion: { description: 'jwt-bearer: the signed JWT.' },
      device_code: { description: 'device_code: the device code.' },
      ...CLIENT_AUTHENTICATION_FIELDS,
    },
    MULTIPART,
  )
  @ApiOkResponse({ type: TokenResponse })
  token(): never {
    throw new Error(SERVED_BY_FAST_ROUTE);
  }

  /** RFC 7009 §2.1: 200 with no body, for a token known or not. */
  @Post([...REVOCATION_PATHS])
  @HttpCode(200)
  @ApiFormBody({ token: { required: true, description: 'The access or refresh token.' }, token_type_hint: { description: '`access_token` or `refresh_token`.' }, ...CLIENT_AUTHENTICATION_FIELDS }, MULTIPART)
  @ApiOkResponse({ description: 'Revoked, or not a token of this client: no body.' })
  revoke(): never {
    throw new Error(SERVED_BY_FAST_ROUTE);
  }

  /** RFC 7662 §2, for authenticated clients. */
  @Post(PUBLIC_INTROSPECTION_PATH)
  @HttpCode(200)
  @ApiFormBody({ token: { required: true, description: 'The token.' }, scope: { description: 'Space separated scopes the token must hold to be active.' }, ...CLIENT_AUTHENTICATION_FIELDS }, MULTIPART)
  @ApiOkResponse({ type: IntrospectedTokenResponse, description: '`{"active": false}` for any token that is not usable.' })
  introspect(): never {
    throw new Error(SERVED_BY_FAST_ROUTE);
  }

  /** RFC 8628 §3.1 */
  @Post(DEVICE_AUTHORIZATION_PATH)
  @HttpCode(200)
  @ApiFormBody({ scope: { description: 'Space separated.' }, audience: { description: 'Space separated audiences.' }, ...CLIENT_AUTHENTICATION_FIELDS })
  @ApiOkResponse({ type: DeviceAuthorizationResponse })
  deviceAuthorization(): never {
    throw new Error(SERVED_BY_FAST_ROUTE);
  }
}
