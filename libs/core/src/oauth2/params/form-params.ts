import { Errors } from '../../errors';

/** Parameters that may repeat (RFC 8693 §2.1 `audience`); their values are joined with spaces. */
const REPEATABLE = ['audience'];

/** RFC 6749 §3.1 and §3.2: parameters must not repeat; every value must be a string. */
export function singleValued(form: unknown): Record<string, string> {
  const params: Record<string, string> = {};
  if (form === null || typeof form !== 'object') return params;
  for (const [key, value] of Object.entries(form as Record<string, unknown>)) {
    if (REPEATABLE.includes(key) && Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      params[key] = value.join(' ');
      continue;
    }
    if (typeof value !== 'string') {
      throw Errors.invalidRequest().withHint(`The "${key}" parameter must appear once, as a string.`);
    }
    params[key] = value;
  }
  return params;
}
