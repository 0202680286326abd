import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { AuthorizeEndpoint, AuthorizeOutcome, Errors, HydrantConfig, publicEndpoint, SignedCookies, UntrustedAuthorizeRequest } from '@hydrant/core';
import { sendErrorPage } from './error-page';
import { writeFlowCookies } from './flow-cookies.writer';

/**
 * RFC 6749 §3.1: the authorization endpoint, GET and POST (OIDC Core §3.1.2.1). The browser arrives here
 * three times per flow; the endpoint decides where it goes next and which cookies it carries. Hydra serves
 * it at `/oauth2/auth`, Spatio at `/oauth2/authorize`; a flow started at either returns to `/oauth2/auth`.
 */
@Controller(['oauth2/auth', 'oauth2/authorize'])
export class AuthorizeController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly endpoint: AuthorizeEndpoint,
    private readonly config: HydrantConfig,
  ) {
    this.secureCookies = config.urlsSelfIssuer.startsWith('https:');
  }

  @Get()
  get(@Req() req: Request, @Res() res: Response): Promise<void> {
    if (!wellEncoded(req.url.split('?')[1] ?? '')) {
      sendErrorPage(res, Errors.invalidRequest().withHint('The query string holds malformed percent-encoding.'));
      return Promise.resolve();
    }
    return this.handle(req.query as Record<string, unknown>, req, res);
  }

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
