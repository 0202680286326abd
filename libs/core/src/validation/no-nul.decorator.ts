import { Matches } from 'class-validator';

/**
 * A string field that must not hold NUL: PostgreSQL text cannot store it (the statement fails), and no
 * subject, name or id Hydrant keeps has one. Refused as bad input on both dialects alike.
 */
export function NoNul(): PropertyDecorator {
  return Matches(/^[^\u0000]*$/, { message: '$property must not contain NUL characters' });
}
