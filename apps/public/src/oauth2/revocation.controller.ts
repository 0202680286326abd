import { Body, Controller, Header, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { requireFormBody, RevocationService } from '@hydrant/core';

/** RFC 7009: token revocation. */
@Controller('oauth2/revoke')
export class RevocationController {
  constructor(private readonly revocation: RevocationService) {}

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async revoke(@Req() req: Request, @Body() form: unknown, @Headers('authorization') authorization?: string): Promise<void> {
    requireFormBody(req);
    await this.revocation.revoke(form, authorization);
  }
}
