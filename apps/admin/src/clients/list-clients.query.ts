import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export const DEFAULT_PAGE_SIZE = 250;
export const MAX_PAGE_SIZE = 1000;

/** GET /admin/clients: Hydra's keyset paging and filters, plus the legacy `limit`/`offset`. */
export class ListClientsQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) page_size?: number;
  @IsOptional() @IsString() page_token?: string;
  @IsOptional() @IsString() client_name?: string;
  @IsOptional() @IsString() owner?: string;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
  // Bounded so that the value reaches the database as an integer it can hold (1e20 is an SQL error, not a page).
  @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(Number.MAX_SAFE_INTEGER) offset?: number;
}
