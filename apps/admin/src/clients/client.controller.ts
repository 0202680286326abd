import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ClientDto, ClientLifespansDto, ClientService, OAuth2ClientResponse, presentClient } from '@hydrant/core';
import { DEFAULT_PAGE_SIZE, ListClientsQuery } from './list-clients.query';

const LIST_HEADERS = {
  Link: { description: 'RFC 8288 links to the first and the next page.', schema: { type: 'string' } },
  'X-Total-Count': { description: 'How many clients match.', schema: { type: 'string' } },
};

const JSON_PATCH = {
  type: 'array',
  items: {
    type: 'object',
    required: ['op', 'path'],
    properties: { op: { type: 'string', enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] }, path: { type: 'string' }, from: { type: 'string' }, value: {} },
  },
};

/** The Clients part of the admin API (Hydra's OAuth2Api client operations). */
@ApiTags('clients')
@Controller('admin/clients')
export class ClientController {
  constructor(private readonly clients: ClientService) {}

  @ApiCreatedResponse({ type: OAuth2ClientResponse, description: 'The client, with its secret (returned once).' })
  @Post()
  async create(@Body() body: ClientDto) {
    const { client, issued } = await this.clients.create(body);
    return presentClient(client, issued);
  }

  @ApiOkResponse({ type: [OAuth2ClientResponse], headers: LIST_HEADERS })
  @Get()
  async list(@Query() query: ListClientsQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const pageSize = query.page_size ?? query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.clients.list({
      pageSize,
      pageToken: query.page_token,
      offset: query.page_token === undefined ? query.offset : undefined,
      clientName: query.client_name,
      owner: query.owner,
    });
    const link = (token?: string) => {
      const params = new URLSearchParams({ page_size: String(pageSize) });
      if (query.client_name !== undefined) params.set('client_name', query.client_name);
      if (query.owner !== undefined) params.set('owner', query.owner);
      if (token !== undefined) params.set('page_token', token);
      return `<${req.originalUrl.split('?')[0]}?${params}>`;
    };
    const links = [`${link()}; rel="first"`];
    if (page.nextPageToken !== undefined) links.push(`${link(page.nextPageToken)}; rel="next"`);
    res.setHeader('Link', links.join(','));
    res.setHeader('X-Total-Count', String(page.total));
    return page.clients.map((c) => presentClient(c));
  }

  @ApiOkResponse({ type: OAuth2ClientResponse })
  @Get(':id')
  async get(@Param('id') id: string) {
    return presentClient(await this.clients.get(id));
  }

  @ApiOkResponse({ type: OAuth2ClientResponse })
  @Put(':id')
  async replace(@Param('id') id: string, @Body() body: ClientDto) {
    const { client, issued } = await this.clients.replace(id, body);
    return presentClient(client, issued);
  }

  @ApiBody({ schema: JSON_PATCH, description: 'RFC 6902 JSON Patch of the client.' })
  @ApiOkResponse({ type: OAuth2ClientResponse })
  @Patch(':id')
  async patch(@Param('id') id: string, @Body() operations: unknown) {
    const { client, issued } = await this.clients.patch(id, operations);
    return presentClient(client, issued);
  }

  @ApiNoContentResponse({ description: 'Deleted, with its tokens and consents.' })
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string) {
    await this.clients.delete(id);
  }

  @ApiOkResponse({ type: OAuth2ClientResponse })
  @Put(':id/lifespans')
  async setLifespans(@Param('id') id: string, @Body() body: ClientLifespansDto) {
    return presentClient(await this.clients.setLifespans(id, body));
  }

  /** Issues a new secret; previous secrets keep working until dropped (*seed*: Fluxer's secret reset). */
  @ApiOkResponse({ type: OAuth2ClientResponse, description: 'The client with its new secret (returned once).' })
  @Post(':id/secrets/rotate')
  @HttpCode(200)
  async rotateSecret(@Param('id') id: string) {
    const { client, issued } = await this.clients.rotateSecret(id);
    return presentClient(client, issued);
  }

  @ApiNoContentResponse({ description: 'The previous secrets no longer work.' })
  @Delete(':id/secrets/rotate')
  @HttpCode(204)
  async dropRotatedSecrets(@Param('id') id: string) {
    await this.clients.dropRotatedSecrets(id);
  }
}
