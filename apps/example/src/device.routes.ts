import { OAuth2Api } from '@ory/hydra-client';
import { Router } from 'express';
import { isAdminFailure } from './admin-api';
import { CSRF_FIELD, csrfToken, verifyCsrf } from './csrf';
import { deviceConnectedPage, devicePage } from './device.view';
import { formField, requiredChallenge } from './request-params';

/**
 * URLS_DEVICE_VERIFICATION and URLS_DEVICE_SUCCESS (RFC 8628): Hydrant sends the browser here with a
 * `device_challenge` (and the `user_code` of a complete verification link); the code the user confirms
 * goes to the admin API's acceptUserCodeRequest, and the browser on to sign in and consent.
 */
export function deviceRoutes(admin: OAuth2Api): Router {
  const router = Router();

  router.get('/device', (req, res) => {
    const challenge = requiredChallenge(req.query.device_challenge, 'device_challenge');
    const userCode = typeof req.query.user_code === 'string' ? req.query.user_code : undefined;
    res.send(devicePage({ challenge, csrf: csrfToken(req, res, challenge), userCode }));
  });

  router.post('/device', async (req, res) => {
    const challenge = requiredChallenge(formField(req.body, 'challenge'), 'challenge');
    verifyCsrf(req, challenge, formField(req.body, CSRF_FIELD));
    const userCode = formField(req.body, 'user_code').trim();
    try {
      const { data } = await admin.acceptUserCodeRequest({ deviceChallenge: challenge, acceptDeviceUserCodeRequest: { user_code: userCode } });
      res.redirect(303, data.redirect_to);
    } catch (e) {
      if (!isAdminFailure(e) || e.response?.status !== 400) throw e;
      // A mistyped code: ask again (Hydrant counts the tries of one challenge).
      const form = { challenge, csrf: csrfToken(req, res, challenge), userCode, error: 'That code is unknown, used or expired. Check your device.' };
      res.status(400).send(devicePage(form));
    }
  });

  router.get('/device/success', (_req, res) => {
    res.send(deviceConnectedPage());
  });

  return router;
}
