import { Body, Controller, Delete, HttpCode, Post, Query } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsString, MinLength } from 'class-validator';
import { ApiNoContentResponse, ApiProperty, ApiPropertyOptional, ApiTags, Janitor, RevocationService } from '@hydrant/core';

export class DeleteClientTokensQuery {
  @ApiProperty()
  @IsString() @MinLength(1) client_id: string;
}

/** Hydra's legacy flush body: tokens that stopped being usable before `notAfter` are deleted. */
export class FlushRequestDto {
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional() @Type(() => Date) @IsDate() notAfter?: Date;
}

/** Bulk token operations of the admin API. */
@ApiTags('tokens')
@Controller('admin/oauth2')
export class TokensController {
  constructor(
    private readonly janitor: Janitor,
    private readonly revocation: RevocationService,
  ) {}

  /** Deletes every access and refresh token of a client. */
  @ApiNoContentResponse()
  @Delete('tokens')
  @HttpCode(204)
  async deleteClientTokens(@Query() query: DeleteClientTokensQuery): Promise<void> {
    await this.revocation.deleteClientTokens(query.client_id);
  }

  @ApiNoContentResponse()
  @Post('flush')
  @HttpCode(204)
  async flush(@Body() body: FlushRequestDto): Promise<void> {
    await this.janitor.flush(body.notAfter);
  }
}
