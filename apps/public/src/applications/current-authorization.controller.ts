import { Controller, Get, Header, Headers } from '@nestjs/common';
import { AuthorizationService, readBearerToken } from '@hydrant/core';

/** Fluxer's `GET /oauth2/@me`: what the presented access token is authorized for (RFC 6750 bearer). */
@Controller('oauth2/@me')
export class CurrentAuthorizationController {
  constructor(private readonly authorizations: AuthorizationService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  get(@Headers('authorization') authorization?: string) {
    return this.authorizations.current(readBearerToken(authorization));
  }
}
