// As @nestjs/swagger does on import: the classes these decorate need `design:type` metadata, written only once the polyfill is in.
import 'reflect-metadata';
import type * as Swagger from '@nestjs/swagger';

/**
 * @nestjs/swagger's decorators, deferred. Loading @nestjs/swagger (and the whole of lodash with it) costs
 * every process a noticeable part of its start-up, yet only the first request for an OpenAPI document needs
 * it. So DTOs and controllers import their `Api*` decorators from here: each call is recorded, and
 * `loadSwagger()` loads the library and applies the recorded decorators in the order they ran, exactly as
 * if they had been @nestjs/swagger's own, before any document is built.
 */

type FactoryName = Extract<keyof typeof Swagger, `Api${string}`>;
type Decorator = (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => unknown;

const pending: Array<(swagger: typeof Swagger) => void> = [];
let loaded: typeof Swagger | undefined;

function deferred<N extends FactoryName>(name: N): (typeof Swagger)[N] {
  const factory = (...args: unknown[]) => (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    const apply = (swagger: typeof Swagger) => (swagger[name] as unknown as (...a: unknown[]) => Decorator)(...args)(target, key, descriptor);
    if (loaded) apply(loaded);
    else pending.push(apply);
  };
  return factory as unknown as (typeof Swagger)[N];
}

/** @nestjs/swagger itself, with every decorator recorded so far applied. */
export async function loadSwagger(): Promise<typeof Swagger> {
  if (!loaded) {
    const swagger = await import('@nestjs/swagger');
    for (const apply of pending.splice(0)) apply(swagger);
    loaded = swagger;
  }
  return loaded;
}

export const ApiBadRequestResponse = deferred('ApiBadRequestResponse');
export const ApiBasicAuth = deferred('ApiBasicAuth');
export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiBody = deferred('ApiBody');
export const ApiConsumes = deferred('ApiConsumes');
export const ApiCreatedResponse = deferred('ApiCreatedResponse');
export const ApiFoundResponse = deferred('ApiFoundResponse');
export const ApiGoneResponse = deferred('ApiGoneResponse');
export const ApiHeader = deferred('ApiHeader');
export const ApiNoContentResponse = deferred('ApiNoContentResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiParam = deferred('ApiParam');
export const ApiProduces = deferred('ApiProduces');
export const ApiProperty = deferred('ApiProperty');
export const ApiPropertyOptional = deferred('ApiPropertyOptional');
export const ApiQuery = deferred('ApiQuery');
export const ApiResponse = deferred('ApiResponse');
export const ApiTags = deferred('ApiTags');
export type { ApiPropertyOptions, OpenAPIObject } from '@nestjs/swagger';
