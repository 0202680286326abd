import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApplicationResponse, ApplicationService } from '@hydrant/core';
import { OwnerQuery } from './owner.query';

/** Fluxer's other two lists of a user's applications (`/users/@me/applications`, `/applications/@me`), for `?owner=`. */
@ApiTags('applications')
@Controller(['admin/users/@me/applications', 'admin/applications/@me'])
export class OwnedApplicationsController {
  constructor(private readonly applications: ApplicationService) {}

  @ApiOkResponse({ type: [ApplicationResponse] })
  @Get()
  list(@Query() query: OwnerQuery) {
    return this.applications.listOwned(query.owner);
  }
}
