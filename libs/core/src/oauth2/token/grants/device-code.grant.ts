import { DeviceRequestStore } from '../../../device/device-request.store';
import { Errors } from '../../../errors';
import { FlowStore } from '../../../flows/flow.store';
import { TransactionRunner } from '../../../persistence/transaction.runner';
import { OpaqueTokenCodec } from '../../../tokens/opaque-token.codec';
import { TokenStore } from '../../../tokens/token.store';
import { DEVICE_CODE_GRANT } from '../../../device/device-request.model';
import { FlowTokenIssuer } from '../flow-token.issuer';
import { TokenEndpointHandler, TokenRequest, TokenResponse } from '../token-endpoint.handler';

/**
 * The device access token request (RFC 8628 §3.4 and §3.5): the device polls with its device code until
 * its user approved (tokens, once), denied (access_denied) or ran out of time (expired_token); before that
 * it is told authorization_pending, or slow_down when it polls faster than its interval. Unlike Hydra, a
 * denial is told (ory/hydra#4110) and slow_down is sent.
 */
export class DeviceCodeGrant implements TokenEndpointHandler {
  constructor(
    private readonly codec: OpaqueTokenCodec,
    private readonly devices: DeviceRequestStore,
    private readonly flows: FlowStore,
    private readonly tokens: TokenStore,
    private readonly issuer: FlowTokenIssuer,
    private readonly transactions: TransactionRunner,
  ) {}

  canHandle(grantType: string): boolean {
    return grantType === DEVICE_CODE_GRANT;
  }

  async handle({ client, params }: TokenRequest): Promise<TokenResponse> {
    if (!params.device_code) throw Errors.invalidRequest().withHint('The "device_code" parameter is missing.');
    const signature = this.codec.verify(params.device_code, 'device_code');
    const request = signature === null ? null : await this.devices.findByDeviceCode(signature);
    if (!request || request.clientId !== client.id) throw Errors.invalidGrant().withHint('The device code is unknown or was issued to another client.');
    const now = new Date(Date.now());
    if (request.state === 'used') throw Errors.invalidGrant().withHint('The device code has already been redeemed.');
    if (request.expiresAt.getTime() <= now.getTime()) throw Errors.expiredToken().withHint('The device code has expired.');
    if (request.state === 'denied') throw Errors.authorizationDenied().withHint('The user denied the device authorization.');
    if (request.state !== 'approved') {
      if (!(await this.devices.recordPoll(request.id, now))) throw Errors.slowDown().withHint(`Poll at most every ${request.intervalMs / 1000} seconds.`);
      throw Errors.authorizationPending().withHint('The user has not approved the device yet.');
    }

    const flow = request.flowId === null ? null : await this.flows.findById(request.flowId);
    if (!flow || !flow.consent || !flow.subject) throw Errors.invalidGrant().withHint('The consent behind this device code was revoked.');
    const minted = await this.issuer.mint({ flow, client, grant: 'device_authorization', scopes: flow.consent.grantScope, params, now });
    const redeemed = await this.transactions.run(async () => {
      if (!(await this.devices.transition(request.id, 'approved', 'used', {}, now))) return false;
      await this.tokens.insert(minted.records);
      return true;
    });
    if (!redeemed) throw Errors.invalidGrant().withHint('The device code has already been redeemed.');
    return minted.response;
  }
}
