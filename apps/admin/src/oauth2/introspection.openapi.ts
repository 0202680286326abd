import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiTags, IntrospectedTokenResponse, IntrospectionForm } from '@hydrant/core';
import { ADMIN_INTROSPECTION_PATH } from './introspection.route';

/**
 * The OpenAPI description of the introspection fast route (introspection.route.ts). Only the document
 * builder scans this class: the admin module does not route it, so it never answers a request.
 */
@ApiTags('tokens')
@Controller()
export class AdminIntrospectionDocumentation {
  /** RFC 7662 §2 */
  @Post(ADMIN_INTROSPECTION_PATH)
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: IntrospectionForm })
  @ApiOkResponse({ type: IntrospectedTokenResponse, description: '`{"active": false}` for any token that is not usable.' })
  introspect(): never {
    throw new Error('documentation only: the fast route serves this path');
  }
}
