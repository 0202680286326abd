import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApiBadRequestResponse, ApiFormBody, ApiFoundResponse, ApiQueryParameters, ApiResponse, ApiTags, AuthorizeEndpoint, AuthorizeOutcome, Errors, HydrantConfig, ParameterDoc, publicEndpoint, SignedCookies, UntrustedAuthorizeRequest } from '@hydrant/core';
import { sendErrorPage } from './error-page';
import { writeFlowCookies } from './flow-cookies.writer';

const AUTHORIZE_PARAMETERS: Readonly<Record<string, ParameterDoc>> = {
  response_type: { description: '`code`.' },
  client_id: { description: 'The client.' },
  redirect_uri: { description: 'One of the client\'s redirect URIs, exactly.' },
  scope: { description: 'Space separated.' },
  state: { description: 'Returned to the client as it was sent.' },
  nonce: { description: 'OIDC: copied into the ID token.' },
  code_challenge: { description: 'PKCE (RFC 7636): the S256 challenge.' },
  code_challenge_method: { description: '`S256` (`plain` is refused).' },
  audience: { description: 'Space separated audiences of the access token.' },
  prompt: { description: '`none`, `login`, `consent` or `select_account`.' },
  max_age: { description: 'Seconds since the last authentication beyond which a new login is forced.' },
  id_token_hint: { description: 'An ID token Hydrant issued to this client.' },
  login_hint: { description: 'Passed to the login app.' },
  acr_values: { description: 'Passed to the login app.' },
  ui_locales: { description: 'Passed to the login and consent apps.' },
  display: { description: 'Passed to the login app.' },
  login_verifier: { description: 'The login app\'s decision, on the browser\'s return.' },
  consent_verifier: { description: 'The consent app\'s decision, on the browser\'s return.' },
};

const REDIRECT = { description: 'The browser goes to the login or consent app, or back to the client with `code`, `state` and `iss` (or an error).', headers: { Location: { description: 'Where.', schema: { type: 'string' } } } };
const ERROR_PAGE = { description: 'A request that cannot be sent back to a client: an HTML error page.', content: { 'text/html': { schema: { type: 'string' } } } };

/**
 * RFC 6749 §3.1: the authorization endpoint, GET and POST (OIDC Core §3.1.2.1). The browser arrives here
 * three times per flow; the endpoint decides where it goes next and which cookies it carries. Hydra serves
 * it at `/oauth2/auth`, Spatio at `/oauth2/authorize`; a flow started at either returns to `/oauth2/auth`.
 */
@ApiTags('oauth2')
@Controller(['oauth2/auth', 'oauth2/authorize'])
export class AuthorizeController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly endpoint: AuthorizeEndpoint,
    private readonly config: HydrantConfig,
  ) {
    this.secureCookies = config.urlsSelfIssuer.startsWith('https:');
  }

  @ApiQueryParameters(AUTHORIZE_PARAMETERS)
  @ApiFoundResponse(REDIRECT)
  @ApiResponse({ status: 303, ...REDIRECT })
  @ApiBadRequestResponse(ERROR_PAGE)
  @Get()
  get(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!wellEncoded(req.url.split('?')[1] ?? '')) {
      sendErrorPage(res, Errors.invalidRequest().withHint('The query string holds malformed percent-encoding.'));
      return Promise.resolve();
    }
    return this.handle(req.query as Record<string, unknown>, req, res);
  }

  @ApiFormBody(AUTHORIZE_PARAMETERS)
  @ApiFoundResponse(REDIRECT)
  @ApiResponse({ status: 303, ...REDIRECT })
  @ApiBadRequestResponse(ERROR_PAGE)
  @Post()
  post(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = req.is('application/x-www-form-urlencoded') ? (req.body as Record<string, unknown>) : {};
    return this.handle(body, req, res);
  }

  private async handle(params: Record<string, unknown>, req: Request, res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    let target;
    try {
      target = await this.endpoint.trust(params);
    } catch (e) {
      if (!(e instanceof UntrustedAuthorizeRequest)) throw e;
      sendErrorPage(res, e.error);
      return;
    }
    const requestUrl = `${publicEndpoint(this.config, 'oauth2/auth')}?${new URLSearchParams(stringParams(params)).toString()}`;
    this.send(res, await this.endpoint.authorize(target, params, req.signedCookies as SignedCookies, requestUrl));
  }

  private send(res: Response, outcome: AuthorizeOutcome): void {
    writeFlowCookies(res, outcome.cookies, this.secureCookies);
    res.redirect(outcome.status, outcome.location);
  }
}

/** The request's string parameters, to rebuild it as a URL for the login and consent apps. */
function stringParams(params: Record<string, unknown>): Array<[string, string]> {
  return Object.entries(params).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
}

/** Whether every `%` escape of a query decodes: a query that does not cannot be read with confidence. */
function wellEncoded(query: string): boolean {
  try {
    decodeURIComponent(query.replace(/\+/g, ' '));
    return true;
  } catch {
    return false;
  }
}
