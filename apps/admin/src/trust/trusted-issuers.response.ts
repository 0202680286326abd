import { ApiProperty } from '@hydrant/core';

/** The key a trusted issuer signs with, named by its set (the issuer) and kid. */
export class TrustedIssuerKeyResponse {
  @ApiProperty() set: string;
  @ApiProperty() kid: string;
}

/** Hydra's TrustedOAuth2JwtGrantIssuer, as presentTrustedIssuer answers it. */
export class TrustedIssuerResponse {
  @ApiProperty() id: string;
  @ApiProperty() issuer: string;
  @ApiProperty({ description: 'Empty when any subject is allowed.' }) subject: string;
  @ApiProperty() allow_any_subject: boolean;
  @ApiProperty({ type: [String] }) scope: string[];
  @ApiProperty({ type: () => TrustedIssuerKeyResponse }) public_key: TrustedIssuerKeyResponse;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ format: 'date-time' }) expires_at: string;
}
