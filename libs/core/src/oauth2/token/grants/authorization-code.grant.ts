import { createHash } from 'node:crypto';
import { Errors } from '../../../errors';
import { Flow } from '../../../flows/flow.model';
import { FlowStore } from '../../../flows/flow.store';
import { TransactionRunner } from '../../../persistence/transaction.runner';
import { AuthorizationCodeStore } from '../../../tokens/authorization-code.store';
import { OpaqueTokenCodec } from '../../../tokens/opaque-token.codec';
import { TokenStore } from '../../../tokens/token.store';
import { FlowTokenIssuer } from '../flow-token.issuer';
import { TokenEndpointHandler, TokenRequest, TokenResponse } from '../token-endpoint.handler';

/** RFC 7636 §4.1: the verifier's alphabet and length. */
const CODE_VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * The authorization code grant at the token endpoint (RFC 6749 §4.1.3). A code works once: a second
 * redemption fails and revokes every token the first one issued (RFC 6749 §4.1.2, RFC 9700 §4.5).
 */
export class AuthorizationCodeGrant implements TokenEndpointHandler {
  constructor(
    private readonly codec: OpaqueTokenCodec,
    private readonly codes: AuthorizationCodeStore,
    private readonly flows: FlowStore,
    private readonly tokens: TokenStore,
    private readonly issuer: FlowTokenIssuer,
    private readonly transactions: TransactionRunner,
  ) {}

  canHandle(grantType: string): boolean {
    return grantType === 'authorization_code';
  }

  /** RFC 6749 §4.1.3 and §4.1.4, RFC 7636 §4.5 and §4.6 */
  async handle({ client, params }: TokenRequest): Promise<TokenResponse> {
    if (!params.code) throw Errors.invalidRequest().withHint('The "code" parameter is missing.');
    const signature = this.codec.verify(params.code, 'authorization_code');
    const code = signature === null ? null : await this.codes.findBySignature(signature);
    if (!code) throw Errors.invalidGrant().withHint('The authorization code is unknown or malformed.');
    if (code.clientId !== client.id) throw Errors.invalidGrant().withHint('The authorization code was issued to another client.');
    const flow = await this.flows.findById(code.flowId);
    if (!flow || !flow.consent) throw Errors.invalidGrant().withHint('The consent behind this authorization code was revoked.');
    if (code.used) {
      await this.tokens.deactivateRequest(flow.id);
      throw Errors.invalidGrant().withHint('The authorization code has already been used; the tokens it issued are revoked.');
    }
    if (code.expiresAt.getTime() < Date.now()) throw Errors.invalidGrant().withHint('The authorization code has expired.');
    checkRedirectUri(flow, params.redirect_uri);
    checkCodeVerifier(flow, params.code_verifier);

    const now = new Date();
    const minted = await this.issuer.mint({ flow, client, grant: 'authorization_code', scopes: flow.consent!.grantScope, params, now });
    const outcome = await this.transactions.run(async () => {
      if (!(await this.codes.markUsed(code.signature))) {
        await this.tokens.deactivateRequest(flow.id);
        return null;
      }
      await this.tokens.insert(minted.records);
      return minted.response;
    });
    if (outcome === null) throw Errors.invalidGrant().withHint('The authorization code has already been used; the tokens it issued are revoked.');
    return outcome;
  }
}

/** RFC 6749 §4.1.3: the redirect_uri of the authorization request, if it named one, must be repeated. */
function checkRedirectUri(flow: Flow, given: string | undefined): void {
  const expected = flow.request.redirectUri;
  if ((flow.request.redirectUriGiven || given !== undefined) && given !== expected) {
    throw Errors.invalidGrant().withHint('The "redirect_uri" does not match the one of the authorization request.');
  }
}

/** RFC 7636 §4.6 (S256 only); a verifier without a challenge is refused too (RFC 9700 §2.1.1, downgrade). */
function checkCodeVerifier(flow: Flow, verifier: string | undefined): void {
  const challenge = flow.request.codeChallenge;
  if (challenge === undefined) {
    if (verifier !== undefined) throw Errors.invalidGrant().withHint('A "code_verifier" was sent, but the authorization request had no code challenge.');
    return;
  }
  if (verifier === undefined) throw Errors.invalidGrant().withHint('The "code_verifier" parameter is missing.');
  if (!CODE_VERIFIER.test(verifier)) throw Errors.invalidGrant().withHint('The "code_verifier" parameter is malformed.');
  if (createHash('sha256').update(verifier).digest('base64url') !== challenge) {
    throw Errors.invalidGrant().withHint('The "code_verifier" does not match the code challenge.');
  }
}
