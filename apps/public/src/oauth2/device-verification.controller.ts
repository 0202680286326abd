import { Controller, Get, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApiFoundResponse, ApiQueryParameters, ApiResponse, ApiTags, DeviceVerificationEndpoint, HydrantConfig, ParameterDoc, publicEndpoint, SignedCookies } from '@hydrant/core';
import { writeFlowCookies } from './flow-cookies.writer';

const VERIFY_PARAMETERS: Readonly<Record<string, ParameterDoc>> = {
  user_code: { description: 'The user code, when the browser opened verification_uri_complete.' },
  device_verifier: { description: 'The device page\'s acceptance of a user code, on the browser\'s return.' },
  client_id: { description: 'The client whose device is approved, with device_verifier.' },
  login_verifier: { description: 'The login app\'s decision.' },
  consent_verifier: { description: 'The consent app\'s decision.' },
};

/**
 * `GET /oauth2/device/verify` (RFC 8628 §3.3): where a user approves a device, through the operator's device
 * page and the usual login and consent (libs/core's DeviceVerificationEndpoint decides each step).
 */
@ApiTags('oauth2')
@Controller('oauth2/device/verify')
export class DeviceVerificationController {
  private readonly secureCookies: boolean;

  constructor(
    private readonly endpoint: DeviceVerificationEndpoint,
    private readonly config: HydrantConfig,
  ) {
    this.secureCookies = config.urlsSelfIssuer.startsWith('https:');
  }

  @ApiQueryParameters(VERIFY_PARAMETERS)
  @ApiFoundResponse({ description: 'To the device page, the login or consent app, or the success page.', headers: { Location: { description: 'Where.', schema: { type: 'string' } } } })
  @ApiResponse({ status: 303, description: 'As 302.' })
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
