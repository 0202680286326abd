import { Controller, Get, Header, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { Errors, UserinfoService } from '@hydrant/core';

/** OIDC Core §5.3 UserInfo, GET and POST; the bearer token in the header, or (POST) in the form (RFC 6750 §2). */
@Controller('userinfo')
export class UserinfoController {
  constructor(private readonly userinfo: UserinfoService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  get(@Headers('authorization') authorization?: string) {
    return this.userinfo.userinfo(bearer(authorization));
  }

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  post(@Req() req: Request, @Headers('authorization') authorization?: string) {
    const form = req.is('application/x-www-form-urlencoded') ? (req.body as Record<string, unknown>) : {};
    const inBody = form.access_token;
    if (inBody !== undefined && typeof inBody !== 'string') throw Errors.invalidRequest().withHint('The "access_token" parameter must appear once.');
    const inHeader = bearer(authorization);
    // RFC 6750 §2: a client must not use more than one method to transmit the token.
    if (inBody !== undefined && inHeader !== undefined) throw Errors.invalidRequest().withHint('The access token was sent both in the header and in the body.');
    return this.userinfo.userinfo(inHeader ?? inBody);
  }
}

function bearer(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}
