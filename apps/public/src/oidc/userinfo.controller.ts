import { Controller, Get, Header, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { ApiAuthorizationHeader, ApiBearerAuth, ApiFormBody, ApiOkResponse, ApiTags, readBearerToken, UserinfoService } from '@hydrant/core';
import { UserinfoResponse } from './userinfo.response';

/**
 * OIDC Core §5.3 UserInfo, GET and POST; the bearer token in the header, or (POST) in the form (RFC 6750
 * §2). Hydra serves it at `/userinfo`; Spatio and Fluxer at `/oauth2/userinfo`.
 */
@ApiTags('oidc')
@ApiBearerAuth('access_token')
@Controller(['userinfo', 'oauth2/userinfo'])
export class UserinfoController {
  constructor(private readonly userinfo: UserinfoService) {}

  @ApiOkResponse({ type: UserinfoResponse })
  @ApiAuthorizationHeader('`Bearer <access token>`.')
  @Get()
  @Header('Cache-Control', 'no-store')
  get(@Headers('authorization') authorization?: string) {
    return this.userinfo.userinfo(readBearerToken(authorization));
  }

  @ApiFormBody({ access_token: { description: 'RFC 6750 §2.2: the token in the body instead of the header.' } })
  @ApiOkResponse({ type: UserinfoResponse })
  @ApiAuthorizationHeader('`Bearer <access token>`, or the token in the form.')
  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  post(@Req() req: Request, @Headers('authorization') authorization?: string) {
    const form = req.is('application/x-www-form-urlencoded') ? (req.body as Record<string, unknown>) : {};
    return this.userinfo.userinfo(readBearerToken(authorization, form));
  }
}
