import cookieParser from 'cookie-parser';
import express, { Express, RequestHandler } from 'express';
import { adminApi, AdminApiOptions } from './admin-api';
import { consentRoutes } from './consent.routes';
import { deviceRoutes } from './device.routes';
import { errorPages, notFound } from './error-page';
import { loginRoutes } from './login.routes';
import { logoutRoutes } from './logout.routes';
import { pageRoutes } from './pages.routes';

/**
 * Pages carry CSRF tokens and personal data, so no cache keeps them; and no other site may frame them,
 * which would let it trick a user into clicking "Allow" (clickjacking).
 */
const pageHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src http: https: data:; frame-ancestors 'none'; base-uri 'none'");
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/** The example login, consent, logout and device app (Express), talking to Hydrant's admin API at `adminUrl`. */
export function createExampleApp(options: AdminApiOptions): Express {
  const admin = adminApi(options);
  const app = express();
  app.disable('x-powered-by');
  app.use(pageHeaders);
  app.use(cookieParser());
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));
  app.use(pageRoutes(), loginRoutes(admin), consentRoutes(admin), logoutRoutes(admin), deviceRoutes(admin));
  app.use(notFound());
  app.use(errorPages(options.adminUrl));
  return app;
}
