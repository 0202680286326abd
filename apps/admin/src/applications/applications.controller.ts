import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, ApplicationResponse, ApplicationService, BotResponse, BotService, CreateApplicationDto, UpdateApplicationDto, UpdateBotProfileDto } from '@hydrant/core';
import { OwnerQuery } from './owner.query';
import { BotTokenResetResponse } from './authorization.response';

/**
 * Fluxer's applications (`/oauth2/applications`, adminPrefix serves it under `/admin` too), managed by the
 * operator's backend for the user in `?owner=`. Fluxer answers 200 to create and 204 to delete; a body a
 * Fluxer client sends for sudo mode is the operator's business and is not read.
 */
@ApiTags('applications')
@Controller('admin/oauth2/applications')
export class ApplicationsController {
  constructor(
    private readonly applications: ApplicationService,
    private readonly bots: BotService,
  ) {}

  @ApiOkResponse({ type: ApplicationResponse, description: 'The application, with its secret (returned once).' })
  @Post()
  @HttpCode(200)
  create(@Body() body: CreateApplicationDto, @Query() query: OwnerQuery) {
    return this.applications.create(body, query.owner);
  }

  @ApiOkResponse({ type: [ApplicationResponse] })
  @Get('@me')
  listOwned(@Query() query: OwnerQuery) {
    return this.applications.listOwned(query.owner);
  }

  @ApiOkResponse({ type: ApplicationResponse })
  @Get(':id')
  get(@Param('id') id: string, @Query() query: OwnerQuery) {
    return this.applications.get(id, query.owner);
  }

  @ApiOkResponse({ type: ApplicationResponse })
  @Patch(':id')
  update(@Param('id') id: string, @Body() body: UpdateApplicationDto, @Query() query: OwnerQuery) {
    return this.applications.update(id, query.owner, body);
  }

  @ApiNoContentResponse()
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string, @Query() query: OwnerQuery): Promise<void> {
    await this.applications.delete(id, query.owner);
  }

  @ApiOkResponse({ type: ApplicationResponse, description: 'With the new secret (returned once).' })
  @Post(':id/client-secret/reset')
  @HttpCode(200)
  resetSecret(@Param('id') id: string, @Query() query: OwnerQuery) {
    return this.applications.resetSecret(id, query.owner);
  }

  @ApiOkResponse({ type: BotTokenResetResponse })
  @Post(':id/bot/reset-token')
  @HttpCode(200)
  resetBotToken(@Param('id') id: string, @Query() query: OwnerQuery) {
    return this.bots.resetToken(id, query.owner);
  }

  @ApiOkResponse({ type: BotResponse })
  @Patch(':id/bot')
  updateBot(@Param('id') id: string, @Body() body: UpdateBotProfileDto, @Query() query: OwnerQuery) {
    return this.bots.updateProfile(id, query.owner, body);
  }
}
