import { AxiosError, isAxiosError } from 'axios';

/** The error of a call that must fail, as Hydra's SDK surfaces it (an AxiosError with the HTTP response). */
export async function sdkFailure(call: Promise<unknown>): Promise<AxiosError<Record<string, unknown>>> {
  try {
    await call;
  } catch (e) {
    if (isAxiosError(e) && e.response) return e as AxiosError<Record<string, unknown>>;
    throw e;
  }
  throw new Error('expected the call to fail');
}
