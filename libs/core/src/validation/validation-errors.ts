import { ValidationError } from 'class-validator';
import { Errors, OAuth2Error } from '../errors';

/** A DTO class may name the error code its validation failures answer with (default `invalid_request`). */
interface DtoClass {
  validationErrorCode?: string;
}

function messages(error: ValidationError, path: string): string[] {
  const here = path ? `${path}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((m) => m.replace(new RegExp(`^${error.property}\\b`), `"${here}"`));
  return [...own, ...(error.children ?? []).flatMap((child) => messages(child, here))];
}

/**
 * Turns class-validator's findings into one OAuth2Error whose hint names every bad field, e.g.
 * `"redirect_uris" must be an array.`
 */
export function validationFailure(errors: ValidationError[]): OAuth2Error {
  const dto = errors[0]?.target?.constructor as DtoClass | undefined;
  const base = dto?.validationErrorCode === 'invalid_client_metadata' ? Errors.invalidClientMetadata() : Errors.invalidRequest();
  const hint = errors.flatMap((e) => messages(e, '')).map((m) => `${m}.`).join(' ');
  return base.withHint(hint);
}
