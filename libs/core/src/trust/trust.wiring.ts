import { publicEndpoint } from '../config/urls';
import type { HydrantRuntime } from '../runtime';
import type { Stores } from '../stores';
import { JwtBearerAssertionVerifier } from './jwt-bearer-assertion.verifier';
import { TrustedIssuerService } from './trusted-issuer.service';

/** The trust API and what the JWT bearer grant checks its assertions with. */
export function wireTrust(runtime: HydrantRuntime, stores: Stores) {
  const { config, transactions } = runtime;
  return {
    trustedIssuerService: new TrustedIssuerService(stores.trustedIssuers, stores.jwks, transactions),
    jwtBearerAssertions: new JwtBearerAssertionVerifier(stores.trustedIssuers, stores.jwks, stores.jtis, config, [publicEndpoint(config, 'oauth2/token')]),
  };
}
