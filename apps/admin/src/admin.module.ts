import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, HealthModule, HydrantRuntime } from '@hydrant/core';
import { ApplicationsController } from './applications/applications.controller';
import { AuthorizationsController } from './applications/authorizations.controller';
import { FirstPartyConsentController } from './applications/first-party-consent.controller';
import { OwnedApplicationsController } from './applications/owned-applications.controller';
import { ClientController } from './clients/client.controller';
import { ConsentRequestsController } from './flows/consent-requests.controller';
import { DeviceRequestsController } from './flows/device-requests.controller';
import { LegacyConsentRequestsController } from './flows/legacy-consent-requests.controller';
import { LoginRequestsController } from './flows/login-requests.controller';
import { LogoutRequestsController } from './flows/logout-requests.controller';
import { SessionsController } from './flows/sessions.controller';
import { KeysController } from './keys/keys.controller';
import { MetricsController } from './metrics/metrics.controller';
import { TokensController } from './oauth2/tokens.controller';
import { PersonalAccessTokensController } from './tokens/personal-access-tokens.controller';
import { TrustedIssuersController } from './trust/trusted-issuers.controller';

/** Every controller of the admin API, in the order the OpenAPI document lists them (the health routes come from HealthModule). */
export const ADMIN_CONTROLLERS = [
  ClientController,
  LoginRequestsController,
  ConsentRequestsController,
  DeviceRequestsController,
  LegacyConsentRequestsController,
  LogoutRequestsController,
  SessionsController,
  TokensController,
  MetricsController,
  KeysController,
  TrustedIssuersController,
  PersonalAccessTokensController,
  ApplicationsController,
  OwnedApplicationsController,
  AuthorizationsController,
  FirstPartyConsentController,
] as const;

/** The admin API (port 4445): everything an operator or a login/consent app may do. */
@Module({})
export class AdminModule {
  static forRuntime(runtime: HydrantRuntime): DynamicModule {
    return {
      module: AdminModule,
      imports: [CoreModule.forRuntime(runtime), HealthModule],
      controllers: [...ADMIN_CONTROLLERS],
    };
  }
}
