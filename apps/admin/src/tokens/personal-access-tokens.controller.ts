import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiPropertyOptional, ApiTags, CreatePersonalAccessTokenDto, PersonalAccessTokenService } from '@hydrant/core';
import { PersonalAccessTokenResponse } from './personal-access-token.response';

export class ListPersonalAccessTokensQuery {
  @ApiPropertyOptional({ description: 'Required.' })
  @IsOptional() @IsString() subject?: string;
}

/** Personal access tokens (Spatio's PATs): issued for a subject by the operator, listed without the token, deleted. */
@ApiTags('personal access tokens')
@Controller('admin/personal-access-tokens')
export class PersonalAccessTokensController {
  constructor(private readonly pats: PersonalAccessTokenService) {}

  /** The token is in this answer only; Hydrant keeps its signature. */
  @ApiCreatedResponse({ type: PersonalAccessTokenResponse })
  @Post()
  issue(@Body() body: CreatePersonalAccessTokenDto) {
    return this.pats.issue(body);
  }

  @ApiOkResponse({ type: [PersonalAccessTokenResponse] })
  @Get()
  list(@Query() query: ListPersonalAccessTokensQuery) {
    return this.pats.list(query.subject);
  }

  @ApiNoContentResponse()
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string): Promise<void> {
    await this.pats.delete(id);
  }
}
