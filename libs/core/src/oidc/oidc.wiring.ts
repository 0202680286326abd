import type { HydrantRuntime } from '../runtime';
import type { Stores } from '../stores';
import { TokenResolver } from '../tokens/token.resolver';
import { IdTokenCodec } from './id-token.codec';
import { LogoutNotifier } from './logout-notifier';
import { UserinfoService } from './userinfo.service';

/** ID tokens, userinfo and back-channel logout notices. */
export function wireOidc(runtime: HydrantRuntime, stores: Stores, tokens: { tokenResolver: TokenResolver }) {
  const { config } = runtime;
  const idTokenCodec = new IdTokenCodec(runtime.keySets, config.urlsSelfIssuer);
  return {
    idTokenCodec,
    logoutNotifier: new LogoutNotifier(stores.flows, stores.clients, idTokenCodec, runtime.outbound, config.urlsSelfIssuer, runtime.logger, config.oidcSubjectIdentifiersPairwiseSalt),
    userinfo: new UserinfoService(tokens.tokenResolver, stores.flows, stores.clients, config),
  };
}
