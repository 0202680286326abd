import { HydrantConfig } from './hydrant.config';

/** The issuer with exactly one trailing slash, the base of every endpoint URL Hydrant announces. */
export function issuerBase(config: Pick<HydrantConfig, 'urlsSelfIssuer'>): string {
  return config.urlsSelfIssuer.replace(/\/*$/, '/');
}

/** The public URL of an endpoint path such as `oauth2/token`. */
export function publicEndpoint(config: Pick<HydrantConfig, 'urlsSelfIssuer'>, path: string): string {
  return `${issuerBase(config)}${path.replace(/^\//, '')}`;
}
