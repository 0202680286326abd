import type { HydrantRuntime } from '../runtime';
import type { Stores } from '../stores';
import { AccessTokenIssuer } from './access-token.issuer';
import { JwtAccessTokenCodec } from './jwt-access-token';
import { OpaqueTokenCodec } from './opaque-token.codec';
import { PersonalAccessTokenService } from './personal-access-token.service';
import { TokenResolver } from './token.resolver';

/** Token formats, issuance and resolution. */
export function wireTokens(runtime: HydrantRuntime, stores: Stores) {
  const { config } = runtime;
  const opaqueCodec = new OpaqueTokenCodec(config.secretsSystem);
  const jwtCodec = new JwtAccessTokenCodec(runtime.keySets, config.urlsSelfIssuer);
  return {
    opaqueCodec,
    jwtCodec,
    accessTokenIssuer: new AccessTokenIssuer(opaqueCodec, jwtCodec, config),
    tokenResolver: new TokenResolver(opaqueCodec, jwtCodec, stores.tokens, stores.pats),
    personalAccessTokens: new PersonalAccessTokenService(stores.pats, opaqueCodec, config),
  };
}
