import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, HealthModule, HydrantRuntime } from '@hydrant/core';
import { BotApplicationController } from './applications/bot-application.controller';
import { CurrentAuthorizationController } from './applications/current-authorization.controller';
import { PublicApplicationController } from './applications/public-application.controller';
import { DiscoveryController } from './discovery/discovery.controller';
import { JwksController } from './discovery/jwks.controller';
import { AuthorizeController } from './oauth2/authorize.controller';
import { DeviceVerificationController } from './oauth2/device-verification.controller';
import { LogoutController } from './oauth2/logout.controller';
import { UserinfoController } from './oidc/userinfo.controller';
import { HydraV1RegistrationController, RegistrationController } from './registration/registration.controller';

/** Every controller of the public API, in the order the OpenAPI document lists them (the health routes come from HealthModule). */
export const PUBLIC_CONTROLLERS = [
  AuthorizeController,
  DeviceVerificationController,
  UserinfoController,
  LogoutController,
  RegistrationController,
  HydraV1RegistrationController,
  DiscoveryController,
  JwksController,
  PublicApplicationController,
  BotApplicationController,
  CurrentAuthorizationController,
] as const;

/** The public API (port 4444): what browsers, relying parties and resource servers talk to. */
@Module({})
export class PublicModule {
  static forRuntime(runtime: HydrantRuntime): DynamicModule {
    return {
      module: PublicModule,
      imports: [CoreModule.forRuntime(runtime), HealthModule],
      controllers: [...PUBLIC_CONTROLLERS],
    };
  }
}
