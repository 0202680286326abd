import { OAuth2Error } from '../errors';

/** The OAuth2Error `promise` rejects with; fails the spec when it resolves or rejects with anything else. */
export async function refusal(promise: Promise<unknown>): Promise<OAuth2Error> {
  const thrown = await promise.then((v) => v, (e: unknown) => e);
  expect(thrown).toBeInstanceOf(OAuth2Error);
  return thrown as OAuth2Error;
}
