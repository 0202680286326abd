import { Provider, Type } from '@nestjs/common';

/** What Nest records of a constructor parameter named with `@Inject(token)`. */
interface SelfDeclaredParam {
  index: number;
  param: unknown;
}

/**
 * An empty value for every dependency the controllers' constructors name, so that Nest can scan them in
 * preview mode (which resolves the dependency graph but calls no constructor). Describing an API needs the
 * controllers' routes and types, never a service, a database or a configuration.
 */
export function documentationProviders(controllers: readonly Type[]): Provider[] {
  const tokens = new Set<unknown>();
  for (const controller of controllers) {
    for (const type of (Reflect.getMetadata('design:paramtypes', controller) as unknown[] | undefined) ?? []) tokens.add(type);
    for (const { param } of (Reflect.getMetadata('self:paramtypes', controller) as SelfDeclaredParam[] | undefined) ?? []) tokens.add(param);
  }
  return [...tokens].map((token) => ({ provide: token as string, useValue: {} }));
}
