import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IntrospectionService } from '@hydrant/core';

/** RFC 7662 §2.1 request: the token, and optionally scopes it must carry. */
export class IntrospectionRequestDto {
  @IsString() @MaxLength(8192) token: string;
  @IsOptional() @IsString() scope?: string;
}

/** RFC 7662 token introspection, on the admin port as in Hydra. */
@Controller('admin/oauth2/introspect')
export class IntrospectionController {
  constructor(private readonly introspection: IntrospectionService) {}

  @Post()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  introspect(@Body() body: IntrospectionRequestDto) {
    return this.introspection.introspect(body.token, body.scope);
  }
}
