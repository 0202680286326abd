import { Controller, Get, Header } from '@nestjs/common';
import { KEY_SETS, KeySetService } from '@hydrant/core';

/**
 * The public keys that verify what Hydrant signs (ID tokens, JWT access tokens): every key of the signing
 * sets, so that retired keys keep verifying tokens still in circulation. Cacheable for a minute; a key
 * added by rotation is published within the key cache's 30 s, and jose-style clients refetch on an
 * unknown `kid`.
 */
@Controller('.well-known/jwks.json')
export class JwksController {
  constructor(private readonly keys: KeySetService) {}

  @Get()
  @Header('Cache-Control', 'public, max-age=60')
  async jwks() {
    const sets = await Promise.all([this.keys.publicKeys(KEY_SETS.idToken), this.keys.publicKeys(KEY_SETS.accessToken)]);
    return { keys: sets.flat() };
  }
}
