import { Controller, Get, Put, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { LogoutRequestService } from '@hydrant/core';
import { sendFlowAnswer } from './flow-response';

/** The logout app's requests (Hydra v2 OAuth2Api: getOAuth2LogoutRequest, accept…, reject…). */
@Controller('admin/oauth2/auth/requests/logout')
export class LogoutRequestsController {
  constructor(private readonly logouts: LogoutRequestService) {}

  @Get()
  async get(@Query('logout_challenge') challenge: string, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logouts.get(challenge));
  }

  @Put('accept')
  async accept(@Query('logout_challenge') challenge: string, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logouts.accept(challenge));
  }

  @Put('reject')
  async reject(@Query('logout_challenge') challenge: string, @Res() res: Response): Promise<void> {
    const handled = await this.logouts.reject(challenge);
    if (handled) sendFlowAnswer(res, handled);
    else res.status(204).end();
  }
}
