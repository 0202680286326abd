import { Controller, Delete, Get, HttpCode, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { SessionService } from '@hydrant/core';

export class ListConsentSessionsQuery {
  @IsString() subject: string;
  @IsOptional() @IsString() login_session_id?: string;
  /** Hydra's paging parameters are accepted; a subject's consents fit one page. */
  @IsOptional() @IsString() page_size?: string;
  @IsOptional() @IsString() page_token?: string;
}

export class RevokeConsentSessionsQuery {
  @IsString() subject: string;
  @IsOptional() @IsString() client?: string;
  @IsOptional() @IsIn(['true', 'false']) all?: string;
}

export class RevokeLoginSessionsQuery {
  @IsOptional() @IsString() subject?: string;
  @IsOptional() @IsString() sid?: string;
}

/** A subject's consent sessions ("authorized apps") and login sessions (Hydra v2 OAuth2Api). */
@Controller('admin/oauth2/auth/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionService) {}

  @Get('consent')
  list(@Query() query: ListConsentSessionsQuery) {
    return this.sessions.listConsents(query.subject, query.login_session_id);
  }

  @Delete('consent')
  @HttpCode(204)
  async revokeConsents(@Query() query: RevokeConsentSessionsQuery): Promise<void> {
    await this.sessions.revokeConsents(query.subject, { clientId: query.client, all: query.all === 'true' });
  }

  @Delete('login')
  @HttpCode(204)
  async revokeLogins(@Query() query: RevokeLoginSessionsQuery): Promise<void> {
    await this.sessions.revokeLoginSessions({ subject: query.subject, sid: query.sid });
  }
}
