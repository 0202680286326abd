import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, KeySetAdminService } from '@hydrant/core';
import { CreateJsonWebKeySetDto, JsonWebKeyDto, JsonWebKeySetDto } from './keys.dto';
import { JsonWebKeySetResponse } from './keys.response';

/** The JSON Web Key part of the admin API (Hydra's JwkApi); legacy `/keys/...` arrives here through the admin prefix. */
@ApiTags('keys')
@Controller('admin/keys')
export class KeysController {
  constructor(private readonly keys: KeySetAdminService) {}

  @ApiCreatedResponse({ type: JsonWebKeySetResponse, description: 'The new key, in a set of one.' })
  @Post(':set')
  create(@Param('set') set: string, @Body() body: CreateJsonWebKeySetDto) {
    return this.keys.create(set, body);
  }

  @ApiOkResponse({ type: JsonWebKeySetResponse })
  @Get(':set')
  getSet(@Param('set') set: string) {
    return this.keys.getSet(set);
  }

  @ApiOkResponse({ type: JsonWebKeySetResponse })
  @Put(':set')
  putSet(@Param('set') set: string, @Body() body: JsonWebKeySetDto) {
    return this.keys.putSet(set, body.keys);
  }

  @ApiNoContentResponse()
  @Delete(':set')
  @HttpCode(204)
  async deleteSet(@Param('set') set: string) {
    await this.keys.deleteSet(set);
  }

  @ApiOkResponse({ type: JsonWebKeySetResponse, description: 'The key, in a set of one.' })
  @Get(':set/:kid')
  getKey(@Param('set') set: string, @Param('kid') kid: string) {
    return this.keys.getKey(set, kid);
  }

  @ApiOkResponse({ type: JsonWebKeyDto })
  @Put(':set/:kid')
  putKey(@Param('set') set: string, @Param('kid') kid: string, @Body() body: JsonWebKeyDto) {
    return this.keys.putKey(set, kid, body);
  }

  @ApiNoContentResponse()
  @Delete(':set/:kid')
  @HttpCode(204)
  async deleteKey(@Param('set') set: string, @Param('kid') kid: string) {
    await this.keys.deleteKey(set, kid);
  }
}
