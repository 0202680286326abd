import { OAuth2Client } from '@ory/hydra-client';
import { CSRF_FIELD } from './csrf';
import { html, SafeHtml } from './html';

/** How the page names the application: its registered name, else its id. */
export function clientName(client: OAuth2Client | undefined): string {
  return client?.client_name || client?.client_id || 'an application';
}

/** The fields every form here posts back: the flow's challenge and the CSRF token bound to it. */
export function flowFields(challenge: string, csrf: string): SafeHtml {
  return html`<input type="hidden" name="challenge" value="${challenge}"><input type="hidden" name="${CSRF_FIELD}" value="${csrf}">`;
}

/** Two submit buttons of one form; `action` says which was pressed. The second one skips validation. */
export function actions(primary: { value: string; label: string }, secondary: { value: string; label: string }): SafeHtml {
  return html`<div class="actions">
  <button class="primary" type="submit" name="action" value="${primary.value}">${primary.label}</button>
  <button class="secondary" type="submit" name="action" value="${secondary.value}" formnovalidate>${secondary.label}</button>
</div>`;
}
