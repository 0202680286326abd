import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiQuery } from './swagger-decorators';

/** A request parameter of a browser or form endpoint: its description, and whether it is required. */
export interface ParameterDoc {
  description: string;
  required?: boolean;
}

/** Declares query parameters that a handler reads from the raw request (the browser endpoints take no DTO). */
export function ApiQueryParameters(parameters: Readonly<Record<string, ParameterDoc>>): MethodDecorator {
  return applyDecorators(
    ...Object.entries(parameters).map(([name, doc]) => ApiQuery({ name, type: String, required: doc.required ?? false, description: doc.description })),
  );
}

/** Declares an `application/x-www-form-urlencoded` body of string fields. */
export function ApiFormBody(parameters: Readonly<Record<string, ParameterDoc>>, ...otherTypes: string[]): MethodDecorator {
  const required = Object.entries(parameters).filter(([, doc]) => doc.required).map(([name]) => name);
  const properties = Object.fromEntries(Object.entries(parameters).map(([name, doc]) => [name, { type: 'string', description: doc.description }]));
  return applyDecorators(
    ApiConsumes('application/x-www-form-urlencoded', ...otherTypes),
    ApiBody({ schema: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) } }),
  );
}

/**
 * The `Authorization` header a handler reads itself: optional in the document (the security schemes say what
 * goes in it), where Nest's reflection alone would mark it required.
 */
export function ApiAuthorizationHeader(description: string): MethodDecorator {
  return ApiHeader({ name: 'authorization', required: false, description });
}
