import { Body, Controller, Get, Put, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { AcceptLoginDto, LoginRequestService, RejectFlowDto } from '@hydrant/core';
import { sendFlowAnswer } from './flow-response';

/** The login app's requests (Hydra v2 OAuth2Api: getOAuth2LoginRequest, accept…, reject…). */
@Controller('admin/oauth2/auth/requests/login')
export class LoginRequestsController {
  constructor(private readonly logins: LoginRequestService) {}

  @Get()
  async get(@Query('login_challenge') challenge: string, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logins.get(challenge));
  }

  @Put('accept')
  async accept(@Query('login_challenge') challenge: string, @Body() body: AcceptLoginDto, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logins.accept(challenge, body));
  }

  @Put('reject')
  async reject(@Query('login_challenge') challenge: string, @Body() body: RejectFlowDto, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.logins.reject(challenge, body));
  }
}
