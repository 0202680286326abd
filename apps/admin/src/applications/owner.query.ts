import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** `?owner=`: the user whose applications the operator's backend means (Fluxer's session user). */
export class OwnerQuery {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255) owner?: string;
}

/** `?subject=`: the user whose authorizations the operator's backend means. */
export class SubjectQuery {
  @IsOptional() @IsString() @MinLength(1) @MaxLength(255) subject?: string;
}
