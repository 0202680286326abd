import { OAuth2Api } from '@ory/hydra-client';
import { Router } from 'express';
import { CSRF_FIELD, csrfToken, verifyCsrf } from './csrf';
import { logoutPage, stillSignedInPage } from './logout.view';
import { formField, requiredChallenge } from './request-params';

/** URLS_LOGOUT: Hydrant sends the browser here with a `logout_challenge` to confirm a logout. */
export function logoutRoutes(admin: OAuth2Api): Router {
  const router = Router();

  router.get('/logout', async (req, res) => {
    const logoutChallenge = requiredChallenge(req.query.logout_challenge, 'logout_challenge');
    const { data: request } = await admin.getOAuth2LogoutRequest({ logoutChallenge });
    res.send(logoutPage(request, logoutChallenge, csrfToken(req, res, logoutChallenge)));
  });

  router.post('/logout', async (req, res) => {
    const logoutChallenge = requiredChallenge(formField(req.body, 'challenge'), 'challenge');
    verifyCsrf(req, logoutChallenge, formField(req.body, CSRF_FIELD));

    if (formField(req.body, 'action') === 'yes') {
      const { data } = await admin.acceptOAuth2LogoutRequest({ logoutChallenge });
      return res.redirect(303, data.redirect_to);
    }
    await admin.rejectOAuth2LogoutRequest({ logoutChallenge });
    res.send(stillSignedInPage());
  });

  return router;
}
