import { Body, Controller, Header, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { Errors, TokenEndpoint } from '@hydrant/core';

/** RFC 6749 §3.2: the token endpoint. */
@Controller('oauth2/token')
export class TokenController {
  constructor(private readonly endpoint: TokenEndpoint) {}

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  token(@Req() req: Request, @Body() form: unknown, @Headers('authorization') authorization?: string) {
    requireForm(req);
    return this.endpoint.exchange(form, authorization);
  }
}

/** RFC 6749 §3.2 and RFC 7009 §2.1: parameters arrive as application/x-www-form-urlencoded. */
export function requireForm(req: Request): void {
  if (!req.is('application/x-www-form-urlencoded')) {
    throw Errors.invalidRequest().withHint('The request body must be application/x-www-form-urlencoded.');
  }
}
