import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags, AuthorizationService } from '@hydrant/core';
import { SubjectQuery } from './owner.query';
import { AuthorizationResponse } from './authorization.response';

/** Fluxer's user authorizations (`/oauth2/@me/authorizations`), for the user in `?subject=`. */
@ApiTags('applications')
@Controller('admin/oauth2/@me/authorizations')
export class AuthorizationsController {
  constructor(private readonly authorizations: AuthorizationService) {}

  @ApiOkResponse({ type: [AuthorizationResponse] })
  @Get()
  list(@Query() query: SubjectQuery) {
    return this.authorizations.list(query.subject);
  }

  /** Revokes the authorization and every token it issued. */
  @ApiNoContentResponse({ description: 'The authorization and its tokens are revoked.' })
  @Delete(':applicationId')
  @HttpCode(204)
  async revoke(@Param('applicationId') applicationId: string, @Query() query: SubjectQuery): Promise<void> {
    await this.authorizations.revoke(query.subject, applicationId);
  }
}
