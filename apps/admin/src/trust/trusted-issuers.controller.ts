import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, presentTrustedIssuer, TrustedIssuerService } from '@hydrant/core';
import { DEFAULT_PAGE_SIZE } from '../clients/list-clients.query';
import { ListTrustedIssuersQuery, TrustJwtGrantIssuerDto } from './trusted-issuers.dto';
import { TrustedIssuerResponse } from './trusted-issuers.response';

/** Trusted issuers of the JWT bearer grant (Hydra's trustOAuth2JwtGrantIssuer and friends). */
@ApiTags('trust')
@Controller('admin/trust/grants/jwt-bearer/issuers')
export class TrustedIssuersController {
  constructor(private readonly trusts: TrustedIssuerService) {}

  @ApiCreatedResponse({ type: TrustedIssuerResponse })
  @Post()
  async create(@Body() body: TrustJwtGrantIssuerDto) {
    return presentTrustedIssuer(await this.trusts.create(body));
  }

  @ApiOkResponse({ type: [TrustedIssuerResponse], headers: { Link: { description: 'RFC 8288 links to the first and the next page.', schema: { type: 'string' } } } })
  @Get()
  async list(@Query() query: ListTrustedIssuersQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const pageSize = query.page_size ?? DEFAULT_PAGE_SIZE;
    const page = await this.trusts.list({ issuer: query.issuer, pageSize, pageToken: query.page_token });
    const link = (token?: string) => {
      const params = new URLSearchParams({ page_size: String(pageSize) });
      if (query.issuer !== undefined) params.set('issuer', query.issuer);
      if (token !== undefined) params.set('page_token', token);
      return `<${req.originalUrl.split('?')[0]}?${params}>`;
    };
    const links = [`${link()}; rel="first"`];
    if (page.nextPageToken !== undefined) links.push(`${link(page.nextPageToken)}; rel="next"`);
    res.setHeader('Link', links.join(','));
    return page.trusts.map(presentTrustedIssuer);
  }

  @ApiOkResponse({ type: TrustedIssuerResponse })
  @Get(':id')
  async get(@Param('id') id: string) {
    return presentTrustedIssuer(await this.trusts.get(id));
  }

  @ApiNoContentResponse()
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string) {
    await this.trusts.delete(id);
  }
}
