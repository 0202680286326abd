import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags, KEY_SETS, KeySetService } from '@hydrant/core';
import { JsonWebKeySetResponse } from './jwks.response';

/**
 * The public keys that verify what Hydrant signs (ID tokens, JWT access tokens): every key of the signing
 * sets, so that retired keys keep verifying tokens still in circulation. Cacheable for a minute; a key
 * added by rotation is published within the key cache's 30 s, and jose-style clients refetch on an
 * unknown `kid`.
 */
@ApiTags('discovery')
@Controller('.well-known/jwks.json')
export class JwksController {
  constructor(private readonly keys: KeySetService) {}

  @ApiOkResponse({ type: JsonWebKeySetResponse, headers: { 'Cache-Control': { description: 'public, max-age=60', schema: { type: 'string' } } } })
  @Get()
  @Header('Cache-Control', 'public, max-age=60')
  async jwks() {
    const sets = await Promise.all([this.keys.publicKeys(KEY_SETS.idToken), this.keys.publicKeys(KEY_SETS.accessToken)]);
    return { keys: sets.flat() };
  }
}
