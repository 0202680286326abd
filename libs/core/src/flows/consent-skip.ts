import { Client } from '../clients/client.model';
import { AuthorizationRequest } from './flow.model';
import { FlowStore } from './flow.store';

/**
 * Whether the consent app may skip its UI: the client is trusted to (`skip_consent`), or a remembered
 * consent of the same subject and client already covers every requested scope and audience. `prompt=consent`
 * asks the user again whatever was remembered. Either way the app still accepts: Hydrant never grants
 * consent on its behalf.
 */
export async function consentMaySkip(flows: FlowStore, client: Client, subject: string, request: AuthorizationRequest, now: Date): Promise<boolean> {
  if (client.metadata.skip_consent) return true;
  if (request.prompt.includes('consent')) return false;
  const remembered = await flows.findRemembered(subject, client.id, now);
  return remembered.some(
    ({ consent }) =>
      consent !== null &&
      request.scopes.every((s) => consent.grantScope.includes(s)) &&
      request.audience.every((a) => consent.grantAudience.includes(a)),
  );
}
