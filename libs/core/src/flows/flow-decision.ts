import { catalogueDescription, Errors } from '../errors';
import { FlowError } from './flow.model';
import { RejectFlowDto } from './flow.dto';

/** What accept or reject answers: where the app sends the browser; `alreadyHandled` is Hydra's 410. */
export interface FlowDecision {
  redirect_to: string;
  alreadyHandled: boolean;
}

/**
 * A rejection as the client will receive it: `access_denied` unless the app names another error, described
 * as the app says, else as the catalogue describes that error (an error of the app's own gets no made-up
 * description).
 */
export function rejection(body: RejectFlowDto): FlowError {
  const error = body.error || Errors.accessDenied().error;
  return {
    error,
    errorDescription: body.error_description || (catalogueDescription(error) ?? ''),
    errorHint: body.error_hint ?? '',
    statusCode: body.status_code ?? 400,
  };
}

export function unknownChallenge(kind: 'login' | 'consent' | 'logout') {
  return Errors.notFound().withHint(`The ${kind} challenge is unknown or has expired.`);
}
