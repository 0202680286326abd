import { Body, Controller, Get, Put, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { AcceptLoginDto, ApiGoneResponse, ApiOkResponse, ApiTags, LoginRequestService, RejectFlowDto } from '@hydrant/core';
import { sendFlowAnswer } from './flow-response';
import { LoginRequestResponse, RedirectToResponse } from './flow.response';

/** The login app's requests (Hydra v2 OAuth2Api: getOAuth2LoginRequest, accept…, reject…). */
@ApiTags('flows')
@Controller('admin/oauth2/auth/requests/login')
export class LoginRequestsController {
  constructor(private readonly logins: LoginRequestService) {}

  @ApiOkResponse({ type: LoginRequestResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled: where the browser goes.' })
  @Get()
  async get(@Query('login_challenge') challenge: string, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logins.get(challenge));
  }

  @ApiOkResponse({ type: RedirectToResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled.' })
  @Put('accept')
  async accept(@Query('login_challenge') challenge: string, @Body() body: AcceptLoginDto, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logins.accept(challenge, body));
  }

  @ApiOkResponse({ type: RedirectToResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled.' })
  @Put('reject')
  async reject(@Query('login_challenge') challenge: string, @Body() body: RejectFlowDto, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logins.reject(challenge, body));
  }
}
