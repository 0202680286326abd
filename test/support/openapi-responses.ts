import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

/**
 * An OpenAPI 3.0 schema as JSON Schema for ajv: `nullable` becomes a `null` type, and every object that
 * declares properties and says nothing of others gets `additionalProperties: false`, so that a member the
 * document does not declare fails validation.
 */
export function closedJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closedJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'example') continue;
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, closedJsonSchema(v)])) : closedJsonSchema(value);
  }
  if ((schema as Schema).nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else return { anyOf: [out, { type: 'null' }] };
  }
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

/** Checks answers against the response schemas of a dereferenced document. */
export class ResponseValidator {
  private readonly ajv = addFormats(new Ajv({ strict: false, allErrors: true }));
  private readonly compiled = new Map<string, ValidateFunction>();

  private constructor(private readonly document: OpenAPIObject) {}

  static async of(document: OpenAPIObject): Promise<ResponseValidator> {
    return new ResponseValidator((await SwaggerParser.dereference(structuredClone(document) as never)) as unknown as OpenAPIObject);
  }

  /** The errors of `body` against the documented JSON response of `method path` with `status` (or `default`); [] when it validates. */
  errors(method: string, path: string, status: number, body: unknown): string[] {
    const key = `${method} ${path} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const operation = (this.document.paths[path] as Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }> | undefined)?.[method];
      if (!operation) return [`${method.toUpperCase()} ${path} is not documented`];
      const response = operation.responses[String(status)] ?? operation.responses.default;
      const schema = response?.content?.['application/json']?.schema;
      if (!schema) return [`${method.toUpperCase()} ${path} documents no JSON body for ${status}`];
      validate = this.ajv.compile(closedJsonSchema(schema) as object);
      this.compiled.set(key, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
