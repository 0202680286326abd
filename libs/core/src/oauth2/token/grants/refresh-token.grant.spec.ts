import { defaultMetadata } from '../../../clients/client.metadata';
import { Client } from '../../../clients/client.model';
import { HydrantConfig } from '../../../config/hydrant.config';
import { OAuth2Error } from '../../../errors';
import { FlowStore } from '../../../flows/flow.store';
import { TransactionRunner } from '../../../persistence/transaction.runner';
import { OpaqueTokenCodec } from '../../../tokens/opaque-token.codec';
import { TokenRecord } from '../../../tokens/token.model';
import { TokenStore } from '../../../tokens/token.store';
import { FlowTokenIssuer } from '../flow-token.issuer';
import { TokenResponse } from '../token-endpoint.handler';
import { RefreshTokenGrant } from './refresh-token.grant';

const deadlock = () => Object.assign(new Error('deadlock detected'), { driverError: { code: '40P01' } });
const client = { id: 'client-1', metadata: { ...defaultMetadata(), scope: 'offline_access' } } as Client;
const response: TokenResponse = { access_token: 'new-access', token_type: 'bearer', expires_in: 3600, scope: 'offline_access', refresh_token: 'new-refresh' };

/** The grant over in-memory fakes: one refresh token `sig` of chain `chain-1`, active or already rotated. */
function grantWith(options: { active: boolean; deactivate?: jest.Mock; run?: jest.Mock }) {
  const token: TokenRecord = {
    signature: 'sig', kind: 'refresh_token', requestId: 'chain-1', clientId: client.id, subject: 'alice', scopes: ['offline_access'],
    audience: [], issuedAt: new Date(), expiresAt: new Date(Date.now() + 60_000), active: options.active, ext: {}, usedAt: options.active ? null : new Date(),
  };
  const deactivateRequest = options.deactivate ?? jest.fn().mockResolvedValue(undefined);
  const tokens = { findBySignature: jest.fn().mockResolvedValue(token), rotate: jest.fn().mockResolvedValue(true), retireRequest: jest.fn(), insert: jest.fn(), deactivateRequest };
  const flows = { findById: jest.fn().mockResolvedValue({ id: 'chain-1', subject: 'alice', consent: { grantScope: ['offline_access'] } }) };
  const issuer = { mint: jest.fn().mockResolvedValue({ records: [], response }) };
  const run = options.run ?? jest.fn((work: (manager: unknown) => Promise<unknown>) => work({}));
  const grant = new RefreshTokenGrant(
    { verify: () => 'sig' } as unknown as OpaqueTokenCodec,
    tokens as unknown as TokenStore,
    flows as unknown as FlowStore,
    issuer as unknown as FlowTokenIssuer,
    { run } as unknown as TransactionRunner,
    { oauth2RefreshTokenRotationGracePeriod: 0, strategiesScope: 'exact' } as HydrantConfig,
  );
  return { grant, tokens, run };
}

const refresh = (grant: RefreshTokenGrant) => grant.handle({ grantType: 'refresh_token', params: { refresh_token: 'presented' }, client });

describe('RefreshTokenGrant under concurrent reuse', () => {
  it('revokes the chain of a reused token and answers invalid_grant', async () => {
    const { grant, tokens } = grantWith({ active: false });
    await expect(refresh(grant)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(tokens.deactivateRequest).toHaveBeenCalledWith('chain-1');
  });

  it('retries a revocation that lost a deadlock, and answers invalid_grant', async () => {
    const deactivate = jest.fn().mockRejectedValueOnce(deadlock()).mockResolvedValue(undefined);
    const { grant } = grantWith({ active: false, deactivate });
    await expect(refresh(grant)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(deactivate).toHaveBeenCalledTimes(2);
  });

  it('answers invalid_grant, never a server error, when every attempt of the revocation conflicts', async () => {
    const deactivate = jest.fn().mockRejectedValue(deadlock());
    const { grant } = grantWith({ active: false, deactivate });
    const thrown = await refresh(grant).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(OAuth2Error);
    expect(thrown).toMatchObject({ error: 'invalid_grant', statusCode: 400 });
  });

  it('lets any other failure of the revocation through', async () => {
    const broken = new Error('the database is gone');
    const { grant } = grantWith({ active: false, deactivate: jest.fn().mockRejectedValue(broken) });
    await expect(refresh(grant)).rejects.toBe(broken);
  });

  it('runs the rotation again when its unit of work lost a deadlock, and answers the new tokens', async () => {
    const run = jest.fn().mockRejectedValueOnce(deadlock()).mockImplementation((work: (manager: unknown) => Promise<unknown>) => work({}));
    const { grant, tokens } = grantWith({ active: true, run });
    await expect(refresh(grant)).resolves.toEqual(response);
    expect(run).toHaveBeenCalledTimes(2);
    expect(tokens.deactivateRequest).not.toHaveBeenCalled();
  });
});

describe('RefreshTokenGrant against what the client may have now', () => {
  it('refuses with invalid_scope, and rotates nothing, once the client lost a granted scope', async () => {
    const { grant, tokens, run } = grantWith({ active: true });
    const narrowed = { ...client, metadata: { ...client.metadata, scope: 'openid' } } as Client;
    await expect(grant.handle({ grantType: 'refresh_token', params: { refresh_token: 'presented' }, client: narrowed })).rejects.toMatchObject({ error: 'invalid_scope' });
    expect(run).not.toHaveBeenCalled();
    expect(tokens.rotate).not.toHaveBeenCalled();
  });
});
