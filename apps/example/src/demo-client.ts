import { OAuth2Api, OAuth2Client } from '@ory/hydra-client';
import { isAdminFailure } from './admin-api';

/**
 * The client of the relying party of `npm run demo` (scripts/demo-relying-party.mjs, which repeats these values): a
 * public client, as a single-page or native app would be, so it authenticates with PKCE and no secret.
 */
export const DEMO_CLIENT_ID = 'hydrant-demo';

export const DEMO_CLIENT: OAuth2Client = {
  client_id: DEMO_CLIENT_ID,
  client_name: 'Hydrant demo',
  token_endpoint_auth_method: 'none',
  redirect_uris: ['http://127.0.0.1:5555/callback'],
  post_logout_redirect_uris: ['http://127.0.0.1:5555/logged-out'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  scope: 'openid offline_access profile email',
  logo_uri: 'http://127.0.0.1:5555/logo.svg',
};

/** Registers the demo client unless a client with its id exists (then it is left as its owner changed it). */
export async function registerDemoClient(admin: OAuth2Api): Promise<'created' | 'existed'> {
  try {
    await admin.getOAuth2Client({ id: DEMO_CLIENT_ID });
    return 'existed';
  } catch (e) {
    if (!isAdminFailure(e) || e.response?.status !== 404) throw e;
  }
  await admin.createOAuth2Client({ oAuth2Client: DEMO_CLIENT });
  return 'created';
}
