import { randomUUID } from 'node:crypto';
import { ClientAuthenticator, readClientCredentials } from '../../clients/authentication/client.authenticator';
import { HydrantConfig } from '../../config/hydrant.config';
import { publicEndpoint } from '../../config/urls';
import { DEVICE_CODE_GRANT } from '../../device/device-request.model';
import { DeviceRequestStore } from '../../device/device-request.store';
import { UserCodes } from '../../device/user-code';
import { Errors } from '../../errors';
import { isUniqueViolation } from '../../persistence/database-errors';
import { withQuery } from '../../http/with-query';
import { audienceAllowed, parseScope, scopeAllowed } from '../../scopes/scope.strategy';
import { OpaqueTokenCodec } from '../../tokens/opaque-token.codec';
import { singleValued } from '../params/form-params';

/** RFC 8628 §3.2 */
export interface DeviceAuthorizationResponse {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** Draws of a user code that may collide with a live one before the request fails. */
const USER_CODE_DRAWS = 5;

/**
 * The device authorization endpoint (RFC 8628 §3.1, `POST /oauth2/device/auth`): an authenticated client
 * that may use the device grant gets a device code to poll with and a user code for its user to enter at
 * `/oauth2/device/verify`. Both are stored only as a signature and an HMAC.
 */
export class DeviceAuthorizationEndpoint {
  constructor(
    private readonly requests: DeviceRequestStore,
    private readonly authenticator: ClientAuthenticator,
    private readonly codec: OpaqueTokenCodec,
    private readonly userCodes: UserCodes,
    private readonly config: HydrantConfig,
  ) {}

  async authorize(form: unknown, authorization: string | undefined, source?: string): Promise<DeviceAuthorizationResponse> {
    const params = singleValued(form);
    const client = await this.authenticator.authenticate(readClientCredentials(params, authorization, source), publicEndpoint(this.config, 'oauth2/device/auth'));
    if (!client.metadata.grant_types.includes(DEVICE_CODE_GRANT)) {
      throw Errors.invalidGrant().withHint(`The client is not allowed to use the grant type "${DEVICE_CODE_GRANT}".`);
    }
    const scopes = parseScope(params.scope);
    const refused = scopes.find((s) => !scopeAllowed(client.metadata.scope.split(' '), s, this.config.strategiesScope));
    if (refused !== undefined) throw Errors.invalidScope().withHint(`The client is not allowed to request scope "${refused}".`);
    const audience = parseScope(params.audience);
    const foreign = audience.find((a) => !audienceAllowed(client.metadata.audience, a));
    if (foreign !== undefined) throw Errors.invalidRequest().withHint(`The client is not allowed to request audience "${foreign}".`);

    const now = new Date();
    const deviceCode = this.codec.mint('device_code');
    for (let draw = 1; ; draw++) {
      const userCode = this.userCodes.generate();
      try {
        await this.requests.insert({
          id: randomUUID(), deviceCodeSignature: deviceCode.signature, userCodeHash: this.userCodes.hash(userCode), clientId: client.id, scopes, audience,
          state: 'pending', csrfHash: null, verifierHash: null, flowId: null, createdAt: now,
          expiresAt: new Date(now.getTime() + this.config.ttlDeviceUserCode), intervalMs: this.config.oauth2DeviceAuthorizationTokenPollingInterval, lastPolledAt: null,
        });
      } catch (e) {
        if (isUniqueViolation(e) && draw < USER_CODE_DRAWS) continue; // a live request holds this user code already
        throw e;
      }
      const verificationUri = publicEndpoint(this.config, 'oauth2/device/verify');
      return {
        device_code: deviceCode.token,
        user_code: userCode,
        verification_uri: verificationUri,
        verification_uri_complete: withQuery(verificationUri, { user_code: userCode }),
        expires_in: Math.round(this.config.ttlDeviceUserCode / 1000),
        interval: Math.round(this.config.oauth2DeviceAuthorizationTokenPollingInterval / 1000),
      };
    }
  }
}
