import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { HydrantConfig, LogoutEndpoint, LogoutOutcome, OAuth2Error, publicEndpoint, SignedCookies } from '@hydrant/core';
import { sendErrorPage } from './error-page';
import { writeFlowCookies } from './flow-cookies.writer';
import { renderFrontchannelLogout } from './frontchannel-logout-page';

/** OIDC RP-Initiated Logout 1.0: `/oauth2/sessions/logout`, GET and POST. */
@Controller('oauth2/sessions/logout')
export class LogoutController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly endpoint: LogoutEndpoint,
    private readonly config: HydrantConfig,
  ) {
    this.secureCookies = config.urlsSelfIssuer.startsWith('https:');
  }

  @Get()
  get(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.handle(req.query, req, res);
  }

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
