import { Body, Controller, Get, Put, Query, Res } from '@nestjs/common';
import { Response } from 'express';
import { AcceptConsentDto, ApiGoneResponse, ApiOkResponse, ApiTags, ConsentRequestService, RejectFlowDto } from '@hydrant/core';
import { sendFlowAnswer } from './flow-response';
import { ConsentRequestResponse, RedirectToResponse } from './flow.response';

/** The consent app's requests (Hydra v2 OAuth2Api: getOAuth2ConsentRequest, accept…, reject…). */
@ApiTags('flows')
@Controller('admin/oauth2/auth/requests/consent')
export class ConsentRequestsController {
  constructor(private readonly consents: ConsentRequestService) {}

  @ApiOkResponse({ type: ConsentRequestResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled: where the browser goes.' })
  @Get()
  async get(@Query('consent_challenge') challenge: string, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.consents.get(challenge));
  }

  @ApiOkResponse({ type: RedirectToResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled.' })
  @Put('accept')
  async accept(@Query('consent_challenge') challenge: string, @Body() body: AcceptConsentDto, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.consents.accept(challenge, body));
  }

  @ApiOkResponse({ type: RedirectToResponse })
  @ApiGoneResponse({ type: RedirectToResponse, description: 'Already handled.' })
  @Put('reject')
  async reject(@Query('consent_challenge') challenge: string, @Body() body: RejectFlowDto, @Res() res: Response): Promise<void> {
    sendFlowAnswer(res, await this.consents.reject(challenge, body));
  }
}
