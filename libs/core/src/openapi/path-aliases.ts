import type { OpenAPIObject, OperationObject, PathItemObject } from '@nestjs/swagger';

/** A path the app serves as another one (the admin port's unprefixed legacy paths), documented under both. */
export interface PathAlias {
  /** The path as a seed document or API.md spells it, e.g. `/clients/{id}`. */
  path: string;
  /** The documented path it is served as, e.g. `/admin/clients/{id}`. */
  of: string;
  /** Appended to the copied operations' ids, which must stay unique. */
  operationIdSuffix: string;
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Adds each alias to the document as a copy of the path it is served as, its operation ids suffixed. An
 * alias of a path the document lacks is a mistake in the alias table, so it throws rather than vanish.
 */
export function withPathAliases(document: OpenAPIObject, aliases: readonly PathAlias[]): OpenAPIObject {
  const paths = { ...document.paths };
  for (const alias of aliases) {
    const target = document.paths[alias.of];
    if (!target) throw new Error(`OpenAPI alias ${alias.path}: the document has no path ${alias.of}`);
    const copy: PathItemObject = { ...target };
    for (const method of METHODS) {
      const operation = target[method];
      if (operation) copy[method] = renamed(operation, alias.operationIdSuffix);
    }
    paths[alias.path] = copy;
  }
  return { ...document, paths };
}

function renamed(operation: OperationObject, suffix: string): OperationObject {
  return { ...operation, ...(operation.operationId ? { operationId: `${operation.operationId}${suffix}` } : {}) };
}
