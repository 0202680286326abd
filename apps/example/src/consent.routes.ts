import { OAuth2Api, OAuth2ConsentRequest } from '@ory/hydra-client';
import { Router } from 'express';
import { consentPage } from './consent.view';
import { CSRF_FIELD, csrfToken, verifyCsrf } from './csrf';
import { formField, formFieldList, requiredChallenge } from './request-params';
import { claimsFor, findUser } from './users';

/** How long "remember this decision" spares the user this page for the same application (seconds). */
const REMEMBER_CONSENT_FOR = 30 * 24 * 60 * 60;

/** The ID token claims of the consent's subject that `grantScope` allows; none for a subject unknown here. */
function idTokenClaims(request: OAuth2ConsentRequest, grantScope: string[]): Record<string, unknown> {
  const user = request.subject ? findUser(request.subject) : undefined;
  return user ? claimsFor(user, grantScope) : {};
}

/** URLS_CONSENT: Hydrant sends the browser here with a `consent_challenge`. */
export function consentRoutes(admin: OAuth2Api): Router {
  const router = Router();

  router.get('/consent', async (req, res) => {
    const consentChallenge = requiredChallenge(req.query.consent_challenge, 'consent_challenge');
    const { data: request } = await admin.getOAuth2ConsentRequest({ consentChallenge });
    if (request.skip || request.client?.skip_consent) {
      // A remembered decision covers the request, or the client is trusted (first party). Hydrant never
      // grants on the app's behalf, so the app accepts what was asked for, with the claims it allows.
      const grantScope = request.requested_scope ?? [];
      const { data } = await admin.acceptOAuth2ConsentRequest({
        consentChallenge,
        acceptOAuth2ConsentRequest: {
          grant_scope: grantScope,
          grant_access_token_audience: request.requested_access_token_audience,
          session: { id_token: idTokenClaims(request, grantScope) },
        },
      });
      return res.redirect(303, data.redirect_to);
    }
    res.send(consentPage(request, csrfToken(req, res, consentChallenge)));
  });

  router.post('/consent', async (req, res) => {
    const consentChallenge = requiredChallenge(formField(req.body, 'challenge'), 'challenge');
    verifyCsrf(req, consentChallenge, formField(req.body, CSRF_FIELD));

    if (formField(req.body, 'action') !== 'allow') {
      const { data } = await admin.rejectOAuth2ConsentRequest({
        consentChallenge,
        rejectOAuth2Request: { error: 'access_denied', error_description: 'The user did not allow access.' },
      });
      return res.redirect(303, data.redirect_to);
    }

    // Grant only scopes that were asked for: the form's values come from the browser.
    const { data: request } = await admin.getOAuth2ConsentRequest({ consentChallenge });
    const ticked = formFieldList(req.body, 'scope');
    const grantScope = (request.requested_scope ?? []).filter((scope) => ticked.includes(scope));
    const { data } = await admin.acceptOAuth2ConsentRequest({
      consentChallenge,
      acceptOAuth2ConsentRequest: {
        grant_scope: grantScope,
        grant_access_token_audience: request.requested_access_token_audience,
        remember: formField(req.body, 'remember') === 'yes',
        remember_for: REMEMBER_CONSENT_FOR,
        session: { id_token: idTokenClaims(request, grantScope) },
      },
    });
    res.redirect(303, data.redirect_to);
  });

  return router;
}
