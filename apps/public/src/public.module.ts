import { DynamicModule, Module } from '@nestjs/common';
import { CoreModule, HealthModule, HydrantRuntime } from '@hydrant/core';
import { DiscoveryController } from './discovery/discovery.controller';
import { JwksController } from './discovery/jwks.controller';
import { AuthorizeController } from './oauth2/authorize.controller';
import { LogoutController } from './oauth2/logout.controller';
import { UserinfoController } from './oidc/userinfo.controller';
import { RevocationController } from './oauth2/revocation.controller';
import { RegistrationController } from './registration/registration.controller';

/** The public API (port 4444): what browsers, relying parties and resource servers talk to. */
@Module({})
export class PublicModule {
  static forRuntime(runtime: HydrantRuntime): DynamicModule {
    return {
      module: PublicModule,
      imports: [CoreModule.forRuntime(runtime), HealthModule],
      controllers: [
        AuthorizeController,
        RevocationController,
        UserinfoController,
        LogoutController,
        RegistrationController,
        DiscoveryController,
        JwksController,
      ],
    };
  }
}
