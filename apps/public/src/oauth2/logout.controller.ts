import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApiBadRequestResponse, ApiFormBody, ApiFoundResponse, ApiOkResponse, ApiQueryParameters, ApiTags, HydrantConfig, LogoutEndpoint, LogoutOutcome, OAuth2Error, ParameterDoc, publicEndpoint, SignedCookies } from '@hydrant/core';
import { sendErrorPage } from './error-page';
import { writeFlowCookies } from './flow-cookies.writer';
import { renderFrontchannelLogout } from './frontchannel-logout-page';

const LOGOUT_PARAMETERS: Readonly<Record<string, ParameterDoc>> = {
  id_token_hint: { description: 'An ID token Hydrant issued: whose session ends, for which client.' },
  post_logout_redirect_uri: { description: 'One of the client\'s post_logout_redirect_uris.' },
  state: { description: 'Returned with the redirect to post_logout_redirect_uri.' },
  client_id: { description: 'The client, when no id_token_hint names it.' },
  logout_verifier: { description: 'The logout app\'s decision, on the browser\'s return.' },
};

const LOGOUT_REDIRECT = { description: 'To the logout app, or to the post-logout redirect URI.', headers: { Location: { description: 'Where.', schema: { type: 'string' } } } };
const FRONTCHANNEL_PAGE = { description: 'An HTML page that loads the clients\' front-channel logout URIs, then moves on.', content: { 'text/html': { schema: { type: 'string' } } } };
const LOGOUT_ERROR_PAGE = { description: 'An HTML error page.', content: { 'text/html': { schema: { type: 'string' } } } };

/** OIDC RP-Initiated Logout 1.0: `/oauth2/sessions/logout`, GET and POST. */
@ApiTags('oidc')
@Controller('oauth2/sessions/logout')
export class LogoutController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly endpoint: LogoutEndpoint,
    private readonly config: HydrantConfig,
  ) {
    this.secureCookies = config.urlsSelfIssuer.startsWith('https:');
  }

  @ApiQueryParameters(LOGOUT_PARAMETERS)
  @ApiFoundResponse(LOGOUT_REDIRECT)
  @ApiOkResponse(FRONTCHANNEL_PAGE)
  @ApiBadRequestResponse(LOGOUT_ERROR_PAGE)
  @Get()
  get(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle(req.query, req, res);
  }

  @ApiFormBody(LOGOUT_PARAMETERS)
  @ApiFoundResponse(LOGOUT_REDIRECT)
  @ApiOkResponse(FRONTCHANNEL_PAGE)
  @ApiBadRequestResponse(LOGOUT_ERROR_PAGE)
  @Post()
  post(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle(req.is('application/x-www-form-urlencoded') ? req.body : {}, req, res);
  }

  private async handle(params: unknown, req: Request, res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const requestUrl = `${publicEndpoint(this.config, 'oauth2/sessions/logout')}${req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''}`;
    let outcome: LogoutOutcome;
    try {
      outcome = await this.endpoint.logout(params, req.signedCookies as SignedCookies, requestUrl);
    } catch (e) {
      // Nothing here may be redirected: the post-logout URI was not (yet) found trustworthy.
      if (!(e instanceof OAuth2Error) || e.statusCode >= 500) throw e;
      sendErrorPage(res, e);
      return;
    }
    writeFlowCookies(res, outcome.cookies, this.secureCookies);
    if (outcome.frontchannel.length > 0) {
      res.status(200).type('html').send(renderFrontchannelLogout(outcome.frontchannel, outcome.location));
      return;
    }
    res.redirect(302, outcome.location);
  }
}
