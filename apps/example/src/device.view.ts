import { html, page } from './html';
import { flowFields } from './view-parts';

export interface DeviceForm {
  challenge: string;
  csrf: string;
  userCode?: string;
  error?: string;
}

/** URLS_DEVICE_VERIFICATION: the code a TV or a command line shows, typed (or prefilled from its link). */
export function devicePage({ challenge, csrf, userCode, error }: DeviceForm): string {
  return page(
    'Connect a device',
    html`<h1>Connect a device</h1>
<p class="muted">Enter the code your device shows.</p>
${error && html`<p class="error" role="alert">${error}</p>`}
<form method="post" action="/device">
  ${flowFields(challenge, csrf)}
  <label for="user_code">Code</label>
  <input id="user_code" name="user_code" type="text" autocomplete="one-time-code" autocapitalize="none" spellcheck="false" value="${userCode ?? ''}" required autofocus>
  <div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>`,
  );
}

/** URLS_DEVICE_SUCCESS */
export function deviceConnectedPage(): string {
  return page('Device connected', html`<h1>Your device is connected</h1><p>You can close this page and go back to your device.</p>`);
}
