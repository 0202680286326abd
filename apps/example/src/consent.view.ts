import { OAuth2ConsentRequest } from '@ory/hydra-client';
import { html, page } from './html';
import { actions, clientName, flowFields } from './view-parts';

/** What the standard scopes let the application do, in the user's words. */
const SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: 'Confirm who you are',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay connected while you are away (refresh tokens)',
};

export function consentPage(request: OAuth2ConsentRequest, csrf: string): string {
  const client = request.client;
  const audience = request.requested_access_token_audience ?? [];
  return page(
    'Allow access',
    html`<div class="client">
  ${client?.logo_uri && html`<img src="${client.logo_uri}" alt="">`}
  <h1>${clientName(client)} wants to access your account</h1>
</div>
<p class="muted">Signed in as <strong>${request.subject}</strong>. Untick what you do not want to share.</p>
<form method="post" action="/consent">
  ${flowFields(request.challenge, csrf)}
  <ul class="scopes">
    ${(request.requested_scope ?? []).map(
      (scope) => html`<li><label class="check"><input type="checkbox" name="scope" value="${scope}" checked>
      <span><code>${scope}</code> ${SCOPE_DESCRIPTIONS[scope] ?? ''}</span></label></li>`,
    )}
  </ul>
  ${audience.length > 0 && html`<p class="muted">For use at: ${audience.join(', ')}</p>`}
  <label class="check"><input type="checkbox" name="remember" value="yes"> Remember this decision</label>
  ${actions({ value: 'allow', label: 'Allow' }, { value: 'deny', label: 'Deny' })}
</form>`,
  );
}
