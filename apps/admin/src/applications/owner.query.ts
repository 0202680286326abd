import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ApiPropertyOptional } from '@hydrant/core';

/** `?owner=`: the user whose applications the operator's backend means (Fluxer's session user). */
export class OwnerQuery {
  @ApiPropertyOptional({ description: 'The user whose applications are meant.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255) owner?: string;
}

/** `?subject=`: the user whose authorizations the operator's backend means. */
export class SubjectQuery {
  @ApiPropertyOptional({ description: 'The user whose authorizations are meant; required.' })
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255) subject?: string;
}
