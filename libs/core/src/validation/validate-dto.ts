import { ClassConstructor } from 'class-transformer';
import { Errors } from '../errors';
import { HydrantValidationPipe } from './validation.pipe';

const pipe = new HydrantValidationPipe();

/**
 * Validates a plain value against a DTO class, for values that do not arrive as a request body, such as a
 * client after a JSON Patch. It goes through the global pipe itself, so that the value is treated exactly as
 * a body is: `__proto__`, `constructor` and `prototype` keys stripped first (class-transformer throws on a
 * nested `constructor` key, which was a 500), unknown fields dropped, and the same error codes.
 */
export async function validateDto<T extends object>(dto: ClassConstructor<T>, plain: unknown): Promise<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw Errors.invalidRequest().withHint('The value must be a JSON object.');
  }
  return (await pipe.transform(plain, { type: 'body', metatype: dto })) as T;
}
