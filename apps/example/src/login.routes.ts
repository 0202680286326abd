import { OAuth2Api } from '@ory/hydra-client';
import { Router } from 'express';
import { CSRF_FIELD, csrfToken, verifyCsrf } from './csrf';
import { loginPage } from './login.view';
import { formField, requiredChallenge } from './request-params';
import { authenticate } from './users';

/** How long "remember me" keeps the browser signed in at Hydrant (seconds). */
const REMEMBER_LOGIN_FOR = 60 * 60;

/** URLS_LOGIN: Hydrant sends the browser here with a `login_challenge`. */
export function loginRoutes(admin: OAuth2Api): Router {
  const router = Router();

  router.get('/login', async (req, res) => {
    const loginChallenge = requiredChallenge(req.query.login_challenge, 'login_challenge');
    const { data: request } = await admin.getOAuth2LoginRequest({ loginChallenge });
    if (request.skip) {
      // A remembered session already authenticated this browser: Hydra's protocol wants no page, and the
      // accept must name the subject Hydrant already knows.
      const { data } = await admin.acceptOAuth2LoginRequest({ loginChallenge, acceptOAuth2LoginRequest: { subject: request.subject } });
      return res.redirect(303, data.redirect_to);
    }
    res.send(loginPage({ request, csrf: csrfToken(req, res, loginChallenge), username: request.oidc_context?.login_hint }));
  });

  router.post('/login', async (req, res) => {
    const loginChallenge = requiredChallenge(formField(req.body, 'challenge'), 'challenge');
    verifyCsrf(req, loginChallenge, formField(req.body, CSRF_FIELD));

    if (formField(req.body, 'action') === 'deny') {
      const { data } = await admin.rejectOAuth2LoginRequest({
        loginChallenge,
        rejectOAuth2Request: { error: 'access_denied', error_description: 'The user declined to sign in.' },
      });
      return res.redirect(303, data.redirect_to);
    }

    const username = formField(req.body, 'username');
    const user = await authenticate(username, formField(req.body, 'password'));
    if (!user) {
      // A typo is no reason to end the flow: ask again, and keep the challenge alive.
      const { data: request } = await admin.getOAuth2LoginRequest({ loginChallenge });
      const form = { request, csrf: csrfToken(req, res, loginChallenge), username, error: 'Wrong username or password.' };
      return res.status(401).send(loginPage(form));
    }

    const remember = formField(req.body, 'remember') === 'yes';
    const { data } = await admin.acceptOAuth2LoginRequest({
      loginChallenge,
      acceptOAuth2LoginRequest: { subject: user.subject, remember, remember_for: REMEMBER_LOGIN_FOR, amr: ['pwd'] },
    });
    res.redirect(303, data.redirect_to);
  });

  return router;
}
