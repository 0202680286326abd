import { OAuth2LogoutRequest } from '@ory/hydra-client';
import { html, page } from './html';
import { actions, clientName, flowFields } from './view-parts';

export function logoutPage(request: OAuth2LogoutRequest, challenge: string, csrf: string): string {
  return page(
    'Sign out',
    html`<h1>Sign out${request.subject && html` ${request.subject}`}?</h1>
${request.client && html`<p class="muted"><strong>${clientName(request.client)}</strong> asked to sign you out.</p>`}
<p>This ends your session at Hydrant: every application that relies on it will ask you to sign in again.</p>
<form method="post" action="/logout">
  ${flowFields(challenge, csrf)}
  ${actions({ value: 'yes', label: 'Yes, sign me out' }, { value: 'no', label: 'No, stay signed in' })}
</form>`,
  );
}

export function stillSignedInPage(): string {
  return page('Still signed in', html`<h1>You are still signed in</h1><p>Nothing changed. You can close this page.</p>`);
}
