import { Controller, Get, Put, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiGoneResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, LogoutRequestService } from '@hydrant/core';
import { sendFlowAnswer } from './flow-response';
import { LogoutRequestResponse, RedirectToResponse } from './flow.response';

/** The logout app's requests (Hydra v2 OAuth2Api: getOAuth2LogoutRequest, accept…, reject…). */
@ApiTags('flows')
@Controller('admin/oauth2/auth/requests/logout')
export class LogoutRequestsController {
  constructor(private readonly logouts: LogoutRequestService) {}

  @ApiOkResponse({ type: LogoutRequestResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled.' })
  @Get()
  async get(@Query('logout_challenge') challenge: string, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logouts.get(challenge));
  }

  @ApiOkResponse({ type: RedirectToResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled.' })
  @Put('accept')
  async accept(@Query('logout_challenge') challenge: string, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logouts.accept(challenge));
  }

  @ApiNoContentResponse({ description: 'Rejected: the login session stays.' })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled.' })
  @Put('reject')
  async reject(@Query('logout_challenge') challenge: string, @Res() res: Response): Promise<void> {
    const handled = await this.logouts.reject(challenge);
    if (handled) sendFlowAnswer(res, handled);
    else res.status(204).end();
  }
}
