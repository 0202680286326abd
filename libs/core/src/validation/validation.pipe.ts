import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { Errors } from '../errors';
import { validationFailure } from './validation-errors';

/**
 * The one global pipe: class-validator DTOs, unknown fields dropped (`whitelist`), values converted to
 * the declared types, and failures as OAuth2Errors that name the field. A body that is not a JSON object
 * where a DTO is expected (an array, a string) is refused before validation.
 */
export class HydrantValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      transform: true,
      forbidUnknownValues: false,
      // Nest drops the target by default, but validationFailure reads the DTO class from it to pick the
      // error code (a client's metadata fails as RFC 7591 `invalid_client_metadata`). Never serialised.
      validationError: { target: true },
      exceptionFactory: validationFailure,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && ![Object, String, Number, Boolean, Array].includes(metadata.metatype as never);
    if (metadata.type === 'body' && isDto && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw Errors.invalidRequest().withHint('The request body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}
