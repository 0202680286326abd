import { Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ApiNoContentResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags, SessionService } from '@hydrant/core';
import { ConsentSessionResponse } from './flow.response';

export class ListConsentSessionsQuery {
  @ApiProperty()
  @IsString() subject: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() login_session_id?: string;
  /** Hydra's paging parameters are accepted; a subject's consents fit one page. */
  @ApiPropertyOptional({ description: 'Accepted for Hydra; one page holds every consent.' })
  @IsOptional() @IsString() page_size?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() page_token?: string;
}

export class RevokeConsentSessionsQuery {
  @ApiProperty()
  @IsString() subject: string;
  @ApiPropertyOptional({ description: 'Only the consents given to this client.' })
  @IsOptional() @IsString() client?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional() @IsIn(['true', 'false']) all?: string;
}

export class RevokeLoginSessionsQuery {
  @ApiPropertyOptional()
  @IsOptional() @IsString() subject?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() sid?: string;
}

/** A subject's consent sessions ("authorized apps") and login sessions (Hydra v2 OAuth2Api). */
@ApiTags('sessions')
@Controller('admin/oauth2/auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @ApiOkResponse({ type: [ConsentSessionResponse] })
  @Get('consent')
  list(@Query() query: ListConsentSessionsQuery) {
    return this.sessions.listConsents(query.subject, query.login_session_id);
  }

  @ApiNoContentResponse({ description: 'The consents and their tokens are revoked.' })
  @Delete('consent')
  @HttpCode(204)
  async revokeConsents(@Query() query: RevokeConsentSessionsQuery): Promise<void> {
    await this.sessions.revokeConsents(query.subject, { clientId: query.client, all: query.all === 'true' });
  }

  @ApiNoContentResponse({ description: 'The login sessions ended; back-channel logout fires.' })
  @Delete('login')
  @HttpCode(204)
  async revokeLogins(@Query() query: RevokeLoginSessionsQuery): Promise<void> {
    await this.sessions.revokeLoginSessions({ subject: query.subject, sid: query.sid });
  }
}
