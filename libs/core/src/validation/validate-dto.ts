import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Errors } from '../errors';
import { validationFailure } from './validation-errors';

/**
 * Validates a plain value against a DTO class the way the global ValidationPipe does (unknown fields
 * dropped), for values that do not arrive as a request body, such as a client after a JSON Patch.
 */
export async function validateDto<T extends object>(dto: ClassConstructor<T>, plain: unknown): Promise<T> {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw Errors.invalidRequest().withHint('The value must be a JSON object.');
  }
  const instance = plainToInstance(dto, plain);
  const errors = await validate(instance, { whitelist: true, forbidUnknownValues: false });
  if (errors.length > 0) throw validationFailure(errors);
  return instance;
}
