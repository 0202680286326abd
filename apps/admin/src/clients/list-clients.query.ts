import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ApiPropertyOptional } from '@hydrant/core';

export const DEFAULT_PAGE_SIZE = 250;
export const MAX_PAGE_SIZE = 1000;

/** GET /admin/clients: Hydra's keyset paging and filters, plus the legacy `limit`/`offset`. */
export class ListClientsQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) page_size?: number;
  @ApiPropertyOptional({ description: 'From the `next` link of the previous page.' })
  @IsOptional() @IsString() page_token?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() client_name?: string;
  @ApiPropertyOptional()
  @IsOptional() @IsString() owner?: string;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, description: 'Hydra v0: page size.' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, description: 'Hydra v0: clients to skip.' })
  // Bounded so that the value reaches the database as an integer it can hold (1e20 is an SQL error, not a page).
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) offset?: number;
}
