import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags, discoveryDocument, HydrantConfig } from '@hydrant/core';
import { DiscoveryDocumentResponse } from './discovery.response';

/** OIDC Discovery 1.0 and RFC 8414 serve the same document; it changes only with the configuration. */
@ApiTags('discovery')
@Controller('.well-known')
export class DiscoveryController {
  private readonly document: Record<string, unknown>;

  constructor(config: HydrantConfig) {
    this.document = discoveryDocument(config);
  }

  @ApiOkResponse({ type: DiscoveryDocumentResponse })
  @Get('openid-configuration')
  @Header('Cache-Control', 'public, max-age=3600')
  openidConfiguration() {
    return this.document;
  }

  @ApiOkResponse({ type: DiscoveryDocumentResponse })
  @Get('oauth-authorization-server')
  @Header('Cache-Control', 'public, max-age=3600')
  authorizationServer() {
    return this.document;
  }
}
