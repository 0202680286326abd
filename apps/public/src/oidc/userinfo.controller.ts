import { Controller, Get, Header, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { readBearerToken, UserinfoService } from '@hydrant/core';

/**
 * OIDC Core §5.3 UserInfo, GET and POST; the bearer token in the header, or (POST) in the form (RFC 6750
 * §2). Hydra serves it at `/userinfo`; Spatio and Fluxer at `/oauth2/userinfo`.
 */
@Controller(['userinfo', 'oauth2/userinfo'])
export class UserinfoController {
  constructor(private readonly userinfo: UserinfoService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  get(@Headers('authorization') authorization?: string) {
    return this.userinfo.userinfo(readBearerToken(authorization));
  }

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  post(@Req() req: Request, @Headers('authorization') authorization?: string) {
    const form = req.is('application/x-www-form-urlencoded') ? (req.body as Record<string, unknown>) : {};
    return this.userinfo.userinfo(readBearerToken(authorization, form));
  }
}
