import { ApiProperty, ApiPropertyOptional } from '@hydrant/core';

/** A public JSON Web Key (RFC 7517 §4): RSA (`n`, `e`) or elliptic curve (`crv`, `x`, `y`) members. */
export class PublicJsonWebKeyResponse {
  @ApiProperty({ example: 'RSA' }) kty: string;
  @ApiProperty() kid: string;
  @ApiProperty({ example: 'RS256' }) alg: string;
  @ApiProperty({ example: 'sig' }) use: string;
  @ApiPropertyOptional() n?: string;
  @ApiPropertyOptional() e?: string;
  @ApiPropertyOptional() crv?: string;
  @ApiPropertyOptional() x?: string;
  @ApiPropertyOptional() y?: string;
}

/** RFC 7517 §5: the keys that verify what Hydrant signs. */
export class JsonWebKeySetResponse {
  @ApiProperty({ type: () => [PublicJsonWebKeyResponse] }) keys: PublicJsonWebKeyResponse[];
}
