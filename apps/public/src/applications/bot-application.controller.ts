import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiAuthorizationHeader, ApiBearerAuth, ApiOkResponse, ApiTags, BotService, botTokenFromHeader } from '@hydrant/core';
import { BotApplicationResponse } from './application.response';

/** Fluxer's `GET /applications/@me`: the application of the presented bot token (`Bot <token>` or a bearer). */
@ApiTags('applications')
@ApiBearerAuth('bot_token')
@Controller('applications/@me')
export class BotApplicationController {
  constructor(private readonly bots: BotService) {}

  @ApiOkResponse({ type: BotApplicationResponse })
  @ApiAuthorizationHeader('`Bot <token>` or `Bearer <token>`.')
  @Get()
  @Header('Cache-Control', 'no-store')
  get(@Headers('authorization') authorization?: string) {
    return this.bots.applicationOf(botTokenFromHeader(authorization));
  }
}
