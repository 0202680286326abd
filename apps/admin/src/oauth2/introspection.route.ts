import type { Request } from 'express';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { FastRoute, IntrospectionService, validateDto } from '@hydrant/core';

/** RFC 7662 §2.1 request: the token, and optionally scopes it must carry. */
export class IntrospectionRequestDto {
  @IsString() @MaxLength(8192) token: string;
  @IsOptional() @IsString() scope?: string;
}

/**
 * RFC 7662 token introspection, on the admin port as in Hydra (also at the legacy `/oauth2/introspect`).
 * Resource servers ask it on every request they serve, so it is a fast route
 * (libs/core/src/http/fast-routes.ts), behind the same API-key check as the rest of the admin API.
 */
export function introspectionRoute(introspection: IntrospectionService, guard: (req: Request) => void): FastRoute {
  return {
    path: '/admin/oauth2/introspect',
    aliases: ['/oauth2/introspect'],
    guard,
    async handle(form) {
      const { token, scope } = await validateDto(IntrospectionRequestDto, form);
      return { status: 200, headers: { 'Cache-Control': 'no-store' }, body: await introspection.introspect(token, scope) };
    },
  };
}
