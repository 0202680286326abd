import { Controller, Get, Param } from '@nestjs/common';
import { ApplicationService } from '@hydrant/core';

/** Fluxer's public application reads: what a consent screen shows of an application, without authentication. */
@Controller('oauth2/applications/:id/public')
export class PublicApplicationController {
  constructor(private readonly applications: ApplicationService) {}

  @Get()
  get(@Param('id') id: string) {
    return this.applications.publicView(id);
  }
}
