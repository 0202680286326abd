import { OAuth2LoginRequest } from '@ory/hydra-client';
import { html, page } from './html';
import { actions, clientName, flowFields } from './view-parts';

export interface LoginForm {
  request: OAuth2LoginRequest;
  csrf: string;
  username?: string;
  error?: string;
}

export function loginPage({ request, csrf, username, error }: LoginForm): string {
  return page(
    'Sign in',
    html`<h1>Sign in</h1>
<p class="muted">to continue to <strong>${clientName(request.client)}</strong></p>
${error && html`<p class="error" role="alert">${error}</p>`}
<form method="post" action="/login">
  ${flowFields(request.challenge, csrf)}
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" value="${username ?? ''}" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <label class="check"><input type="checkbox" name="remember" value="yes"> Remember me on this device</label>
  ${actions({ value: 'sign-in', label: 'Sign in' }, { value: 'deny', label: 'Deny' })}
</form>
<p class="muted">Demo accounts: <code>alice</code> / <code>wonderland</code>, <code>bob</code> / <code>builder</code>.</p>`,
  );
}
