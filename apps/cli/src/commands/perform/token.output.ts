import { Output } from '../../remote/output';

/** A token endpoint's answer (RFC 6749 section 5.1). */
export interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in?: number;
  refresh_token?: string;
  id_token?: string;
  scope?: string;
}

/** Tokens as Hydra's CLI prints them (golang.org/x/oauth2's Token in JSON: expiry as a time). */
export function printTokens(output: Output, answer: TokenAnswer, issuedAt = Date.now()): void {
  const expiry = answer.expires_in === undefined ? undefined : new Date(issuedAt + answer.expires_in * 1000).toISOString();
  const document: Record<string, unknown> = { access_token: answer.access_token, token_type: answer.token_type };
  if (answer.refresh_token) document.refresh_token = answer.refresh_token;
  if (expiry) document.expiry = expiry;
  if (answer.id_token) document.id_token = answer.id_token;
  if (answer.scope !== undefined) document.scope = answer.scope;
  output.row(
    [
      ['ACCESS TOKEN', answer.access_token],
      ['REFRESH TOKEN', answer.refresh_token],
      ['ID TOKEN', answer.id_token],
      ['EXPIRY', expiry],
    ],
    document,
  );
}
