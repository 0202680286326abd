import { Controller, Get, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { DeviceVerificationEndpoint, HydrantConfig, publicEndpoint, SignedCookies } from '@hydrant/core';
import { writeFlowCookies } from './flow-cookies.writer';

/**
 * `GET /oauth2/device/verify` (RFC 8628 §3.3): where a user approves a device, through the operator's device
 * page and the usual login and consent (libs/core's DeviceVerificationEndpoint decides each step).
 */
@Controller('oauth2/device/verify')
export class DeviceVerificationController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly endpoint: DeviceVerificationEndpoint,
    private readonly config: HydrantConfig,
  ) {
    this.secureCookies = config.urlsSelfIssuer.startsWith('https:');
  }

  @Get()
  async verify(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.setHeader('Cache-Control', 'no-store');
    const query = req.url.split('?')[1] ?? '';
    const requestUrl = `${publicEndpoint(this.config, 'oauth2/device/verify')}${query ? `?${query}` : ''}`;
    const outcome = await this.endpoint.verify(req.query as Record<string, unknown>, req.signedCookies as SignedCookies, requestUrl);
    writeFlowCookies(res, outcome.cookies, this.secureCookies);
    res.redirect(outcome.status, outcome.location);
  }
}
