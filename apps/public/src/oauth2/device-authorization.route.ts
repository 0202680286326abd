import type { Request } from 'express';
import { DeviceAuthorizationEndpoint, FastRoute } from '@hydrant/core';

export const DEVICE_AUTHORIZATION_PATH = '/oauth2/device/auth';

/** RFC 8628 §3.1 and §3.2: the device authorization endpoint, a form in and JSON out, served as a fast route. */
export function deviceAuthorizationRoute(endpoint: DeviceAuthorizationEndpoint): FastRoute {
  return {
    path: DEVICE_AUTHORIZATION_PATH,
    async handle(form, req: Request) {
      return { status: 200, headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' }, body: await endpoint.authorize(form, req.headers.authorization, req.ip) };
    },
  };
}
