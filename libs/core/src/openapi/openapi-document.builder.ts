import { Module, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { SecuritySchemeObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { HYDRANT_VERSION } from '../version';
import { documentationProviders } from './documentation-providers';
import { PathAlias, withPathAliases } from './path-aliases';
import { loadSwagger } from './swagger-decorators';

/** What one port's OpenAPI document is made of. */
export interface OpenApiPortDescription {
  title: string;
  description: string;
  /** Every controller the port routes, and the documentation stubs of its fast routes, in the order to list them. */
  controllers: readonly Type[];
  securitySchemes?: Readonly<Record<string, SecuritySchemeObject>>;
  /** Security that applies to every operation unless it declares its own. */
  security?: ReadonlyArray<Record<string, string[]>>;
  aliases?: readonly PathAlias[];
  /** The body of the port's error answers: every operation's `default` response. */
  errorResponse: Type;
  /** Response classes whose objects may carry members beyond those declared (userinfo's custom claims). */
  openObjects?: readonly Type[];
}

/**
 * `ClientController` + `create` → `Client_create`; a controller served at several paths gets `_1`, `_2` for
 * the second and later (Nest names them `create[1]`, which SDK generators cannot use).
 */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  const method = methodKey.replace(/\[(\d+)\]$/, (_, index: string) => (index === '0' ? '' : `_${index}`));
  return `${controllerKey.replace(/(Controller|Documentation)$/, '')}_${method}`;
}

/** Gives every operation that declares no `default` response the port's error body as its `default`. */
function withErrorResponses(document: OpenAPIObject, schemaName: string): OpenAPIObject {
  const error = { description: 'An error', content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName}` } } } };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Array<{ responses?: Record<string, unknown> }>) {
      if (operation?.responses && !operation.responses.default) operation.responses.default = error;
    }
  }
  return document;
}

/**
 * Builds a port's OpenAPI 3.0 document with @nestjs/swagger from the controllers' routes and the DTOs'
 * decorators. The controllers are scanned in a Nest app of their own in preview mode (no constructor runs,
 * nothing listens), so the document needs no database or configuration: the server builds it on the first
 * request for it and `npm run openapi` writes the same document to the repository.
 */
export async function buildOpenApiDocument(port: OpenApiPortDescription): Promise<OpenAPIObject> {
  @Module({ controllers: [...port.controllers], providers: documentationProviders(port.controllers) })
  class DocumentedPortModule {}

  const { DocumentBuilder, SwaggerModule } = await loadSwagger();
  const app = await NestFactory.create(DocumentedPortModule, new ExpressAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    const builder = new DocumentBuilder().setOpenAPIVersion('3.0.3').setTitle(port.title).setDescription(port.description).setVersion(HYDRANT_VERSION);
    for (const [name, scheme] of Object.entries(port.securitySchemes ?? {})) builder.addSecurity(name, scheme);
    for (const requirement of port.security ?? []) builder.addSecurityRequirements(requirement);
    const document = SwaggerModule.createDocument(app, builder.build(), { operationIdFactory: operationIdOf, extraModels: [port.errorResponse] });
    for (const open of port.openObjects ?? []) {
      const schema = document.components?.schemas?.[open.name];
      if (schema && !('$ref' in schema)) schema.additionalProperties = true;
    }
    return withPathAliases(withErrorResponses(document, port.errorResponse.name), port.aliases ?? []);
  } finally {
    await app.close();
  }
}

/** How `npm run openapi` writes a document to the repository: two-space JSON and a final newline. */
export function openApiFileText(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
