import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags, ApplicationService } from '@hydrant/core';
import { PublicApplicationResponse } from './application.response';

/** Fluxer's public application reads: what a consent screen shows of an application, without authentication. */
@ApiTags('applications')
@Controller('oauth2/applications/:id/public')
export class PublicApplicationController {
  constructor(private readonly applications: ApplicationService) {}

  @ApiOkResponse({ type: PublicApplicationResponse })
  @Get()
  get(@Param('id') id: string) {
    return this.applications.publicView(id);
  }
}
