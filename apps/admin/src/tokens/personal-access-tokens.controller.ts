import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { CreatePersonalAccessTokenDto, PersonalAccessTokenService } from '@hydrant/core';

export class ListPersonalAccessTokensQuery {
  @IsOptional() @IsString() subject?: string;
}

/** Personal access tokens (Spatio's PATs): issued for a subject by the operator, listed without the token, deleted. */
@Controller('admin/personal-access-tokens')
export class PersonalAccessTokensController {
  constructor(private readonly pats: PersonalAccessTokenService) {}

  /** The token is in this answer only; Hydrant keeps its signature. */
  @Post()
  issue(@Body() body: CreatePersonalAccessTokenDto) {
    return this.pats.issue(body);
  }

  @Get()
  list(@Query() query: ListPersonalAccessTokensQuery) {
    return this.pats.list(query.subject);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.pats.delete(id);
  }
}
