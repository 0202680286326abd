import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { Request, Response } from 'express';
import { ClientDto, ClientLifespansDto, ClientService, presentClient } from '@hydrant/core';
import { DEFAULT_PAGE_SIZE, ListClientsQuery } from './list-clients.query';

/** The Clients part of the admin API (Hydra's OAuth2Api client operations). */
@Controller('admin/clients')
export class ClientController {
  constructor(private readonly clients: ClientService) {}

  @Post()
  async create(@Body() body: ClientDto) {
    const { client, issued } = await this.clients.create(body);
    return presentClient(client, issued);
  }

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

  @Get(':id')
  async get(@Param('id') id: string) {
    return presentClient(await this.clients.get(id));
  }

  @Put(':id')
  async replace(@Param('id') id: string, @Body() body: ClientDto) {
    const { client, issued } = await this.clients.replace(id, body);
    return presentClient(client, issued);
  }

  @Patch(':id')
  async patch(@Param('id') id: string, @Body() operations: unknown) {
    const { client, issued } = await this.clients.patch(id, operations);
    return presentClient(client, issued);
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id') id: string) {
    await this.clients.delete(id);
  }

  @Put(':id/lifespans')
  async setLifespans(@Param('id') id: string, @Body() body: ClientLifespansDto) {
    return presentClient(await this.clients.setLifespans(id, body));
  }

  /** Issues a new secret; previous secrets keep working until dropped (*seed*: Fluxer's secret reset). */
  @Post(':id/secrets/rotate')
  @HttpCode(200)
  async rotateSecret(@Param('id') id: string) {
    const { client, issued } = await this.clients.rotateSecret(id);
    return presentClient(client, issued);
  }

  @Delete(':id/secrets/rotate')
  @HttpCode(204)
  async dropRotatedSecrets(@Param('id') id: string) {
    await this.clients.dropRotatedSecrets(id);
  }
}
