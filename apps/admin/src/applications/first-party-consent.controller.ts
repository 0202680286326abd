import { Body, Controller, HttpCode, Post, Query } from '@nestjs/common';
import { FirstPartyConsent } from '@hydrant/core';
import { SubjectQuery } from './owner.query';

/** Fluxer's `POST /oauth2/authorize/consent`: a first-party consent screen grants for the user in `?subject=`. */
@Controller('admin/oauth2/authorize/consent')
export class FirstPartyConsentController {
  constructor(private readonly consent: FirstPartyConsent) {}

  @Post()
  @HttpCode(200)
  grant(@Query() query: SubjectQuery, @Body() body: unknown) {
    return this.consent.grant(query.subject, body);
  }
}
