import { PageError } from './page-error';

/** The challenge Hydrant put in the query string; without it the page cannot do anything useful. */
export function requiredChallenge(value: unknown, name: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new PageError(400, 'Nothing to do here', `This page is opened by Hydrant with a ${name} parameter, and this request has none.`);
}

/** A single form field; absent or repeated fields read as empty. */
export function formField(body: unknown, name: string): string {
  const value = fieldsOf(body)[name];
  return typeof value === 'string' ? value : '';
}

/** Every value of a repeated form field (checkboxes sharing a name). */
export function formFieldList(body: unknown, name: string): string[] {
  const value = fieldsOf(body)[name];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function fieldsOf(body: unknown): Record<string, unknown> {
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}
