import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiAuthorizationHeader, ApiBearerAuth, ApiOkResponse, ApiTags, AuthorizationService, readBearerToken } from '@hydrant/core';
import { CurrentAuthorizationResponse } from './application.response';

/** Fluxer's `GET /oauth2/@me`: what the presented access token is authorized for (RFC 6750 bearer). */
@ApiTags('applications')
@ApiBearerAuth('access_token')
@Controller('oauth2/@me')
export class CurrentAuthorizationController {
  constructor(private readonly authorizations: AuthorizationService) {}

  @ApiOkResponse({ type: CurrentAuthorizationResponse })
  @ApiAuthorizationHeader('`Bearer <access token>`.')
  @Get()
  @Header('Cache-Control', 'no-store')
  get(@Headers('authorization') authorization?: string) {
    return this.authorizations.current(readBearerToken(authorization));
  }
}
