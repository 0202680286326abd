import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags, FirstPartyConsent } from '@hydrant/core';
import { SubjectQuery } from './owner.query';
import { FirstPartyConsentResponse } from './authorization.response';

/** The authorization request the user consented to, as `/oauth2/auth` takes it (FirstPartyConsent reads it). */
const FIRST_PARTY_CONSENT_BODY = {
  type: 'object',
  properties: Object.fromEntries(
    ['client_id', 'scope', 'response_type', 'redirect_uri', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'audience'].map((name) => [name, { type: 'string' }]),
  ),
};

/** Fluxer's `POST /oauth2/authorize/consent`: a first-party consent screen grants for the user in `?subject=`. */
@ApiTags('applications')
@Controller('admin/oauth2/authorize/consent')
export class FirstPartyConsentController {
  constructor(private readonly consent: FirstPartyConsent) {}

  @ApiBody({ schema: FIRST_PARTY_CONSENT_BODY })
  @ApiOkResponse({ type: FirstPartyConsentResponse })
  @Post()
  @HttpCode(200)
  grant(@Query() query: SubjectQuery, @Body() body: unknown) {
    return this.consent.grant(query.subject, body);
  }
}
