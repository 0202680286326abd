import { Controller, Get, Header, Headers } from '@nestjs/common';
import { BotService, botTokenFromHeader } from '@hydrant/core';

/** Fluxer's `GET /applications/@me`: the application of the presented bot token (`Bot <token>` or a bearer). */
@Controller('applications/@me')
export class BotApplicationController {
  constructor(private readonly bots: BotService) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  get(@Headers('authorization') authorization?: string) {
    return this.bots.applicationOf(botTokenFromHeader(authorization));
  }
}
