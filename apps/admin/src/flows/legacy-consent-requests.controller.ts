import { Body, Controller, Get, Param, Patch, Res } from '@nestjs/common';
import { Response } from 'express';
import { ApiGoneResponse, ApiNoContentResponse, ApiOkResponse, ApiParam, ApiTags, FlowDecision, LegacyConsentAcceptanceDto, LegacyConsentRejectionDto, LegacyConsentService } from '@hydrant/core';
import { LegacyConsentHandledResponse, LegacyConsentRequestResponse } from './flow.response';

/**
 * Hydra v0's consent API (`/oauth2/consent/requests/{id}`; adminPrefix serves it under `/admin` too). A
 * decision answers 204 with no body, as v0 did: the app already read `redirectUrl`. A request decided before
 * answers 410 in the admin error shape, with v2's `redirect_to` beside it.
 */
@ApiTags('hydra v0')
@Controller('admin/oauth2/consent/requests')
export class LegacyConsentRequestsController {
  constructor(private readonly consents: LegacyConsentService) {}

  @ApiParam({ name: 'id', description: 'The consent challenge.' })
  @ApiOkResponse({ type: LegacyConsentRequestResponse })
  @ApiGoneResponse({ type: LegacyConsentHandledResponse })
  @Get(':id')
  async get(@Param('id') id: string, @Res() res: Response): Promise<void> {
    const answer = await this.consents.get(id);
    if ('alreadyHandled' in answer) sendAlreadyHandled(res, answer as FlowDecision);
    else res.status(200).json(answer);
  }

  @ApiNoContentResponse({ description: 'Accepted; the browser follows `redirectUrl`.' })
  @ApiGoneResponse({ type: LegacyConsentHandledResponse })
  @Patch(':id/accept')
  async accept(@Param('id') id: string, @Body() body: LegacyConsentAcceptanceDto, @Res() res: Response): Promise<void> {
    sendDecision(res, await this.consents.accept(id, body));
  }

  @ApiNoContentResponse({ description: 'Rejected; the browser follows `redirectUrl`.' })
  @ApiGoneResponse({ type: LegacyConsentHandledResponse })
  @Patch(':id/reject')
  async reject(@Param('id') id: string, @Body() body: LegacyConsentRejectionDto, @Res() res: Response): Promise<void> {
    sendDecision(res, await this.consents.reject(id, body));
  }
}

function sendDecision(res: Response, decision: FlowDecision): void {
  if (decision.alreadyHandled) sendAlreadyHandled(res, decision);
  else res.status(204).end();
}

function sendAlreadyHandled(res: Response, decision: FlowDecision): void {
  res.status(410).json({
    error: 'request_already_handled',
    error_description: 'The consent request was already accepted or rejected.',
    status_code: 410,
    redirect_to: decision.redirect_to,
  });
}
