import { Body, CanActivate, Controller, Delete, Get, Header, Headers, HttpCode, Injectable, Ip, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { ApiAuthorizationHeader, ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiPropertyOptional, ApiTags, ClientDto, HYDRA_V1_REGISTRATION, OAuth2ClientResponse, RegistrationEndpoint, RegistrationService, RFC7591_REGISTRATION } from '@hydrant/core';

/** Hydra v1: a `client_secret_post` client presents its secret in the query to manage its registration. */
export class RegistrationQuery {
  @ApiPropertyOptional({ description: 'Hydra v1: a client_secret_post client authenticates with it.' })
  @IsOptional() @IsString() client_secret?: string;
}

const MANAGEMENT_AUTHORIZATION = '`Bearer <registration access token>`; at `/connect/register`, also the client\'s own Basic credentials.';

/**
 * Disabled registration answers 404 before the body is validated, so that the endpoint looks absent
 * whatever is sent to it (as in Hydra), rather than answering a 400 about the body.
 */
@Injectable()
class RegistrationEnabledGuard implements CanActivate {
  constructor(private readonly registration: RegistrationService) {}

  canActivate(): boolean {
    this.registration.ensureEnabled();
    return true;
  }
}

/**
 * RFC 7591 dynamic client registration and RFC 7592 client configuration, served at two paths that differ
 * in how a client manages its registration (RegistrationEndpoint). Answers carry the client's secret or
 * registration access token, so none may be cached (RFC 6749 §5.1, RFC 7591 §3.2.1).
 */
abstract class RegistrationRoutes {
  constructor(
    private readonly registration: RegistrationService,
    private readonly endpoint: RegistrationEndpoint,
  ) {}

  /** RFC 7591 §3.1 */
  @ApiCreatedResponse({ type: OAuth2ClientResponse, description: 'With `registration_access_token` and `registration_client_uri` (and the secret), returned once.' })
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  register(@Body() body: ClientDto, @Ip() ip: string) {
    return this.registration.register(this.endpoint, body, ip);
  }

  /** RFC 7592 §2.1 */
  @ApiOkResponse({ type: OAuth2ClientResponse })
  @ApiAuthorizationHeader(MANAGEMENT_AUTHORIZATION)
  @Get(':id')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  read(@Param('id') id: string, @Query() query: RegistrationQuery, @Ip() ip: string, @Headers('authorization') authorization?: string) {
    return this.registration.read(this.endpoint, id, { authorization, clientSecret: query.client_secret, source: ip });
  }

  /** RFC 7592 §2.2 */
  @ApiOkResponse({ type: OAuth2ClientResponse })
  @ApiAuthorizationHeader(MANAGEMENT_AUTHORIZATION)
  @Put(':id')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  update(
    @Param('id') id: string,
    @Body() body: ClientDto,
    @Query() query: RegistrationQuery,
    @Ip() ip: string,
    @Headers('authorization') authorization?: string,
  ) {
    return this.registration.update(this.endpoint, id, body, { authorization, clientSecret: query.client_secret, source: ip }, ip);
  }

  /** RFC 7592 §2.3 */
  @ApiNoContentResponse()
  @ApiAuthorizationHeader(MANAGEMENT_AUTHORIZATION)
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Query() query: RegistrationQuery, @Ip() ip: string, @Headers('authorization') authorization?: string) {
    await this.registration.remove(this.endpoint, id, { authorization, clientSecret: query.client_secret, source: ip });
  }
}

/** RFC 7591/7592 at `/oauth2/register`: management with the registration access token (RFC 7592 §3). */
@ApiTags('registration')
@ApiBearerAuth('registration_access_token')
@Controller('oauth2/register')
@UseGuards(RegistrationEnabledGuard)
export class RegistrationController extends RegistrationRoutes {
  constructor(registration: RegistrationService) {
    super(registration, RFC7591_REGISTRATION);
  }
}

/**
 * Hydra v1's `/connect/register`: the registration access token works, and so do the client's own
 * credentials, as hydra-public-api.md documents (Basic for `client_secret_basic`, `?client_secret=` for
 * `client_secret_post`); an update may set a new `client_secret`.
 */
@ApiTags('registration')
@ApiBearerAuth('registration_access_token')
@Controller('connect/register')
@UseGuards(RegistrationEnabledGuard)
export class HydraV1RegistrationController extends RegistrationRoutes {
  constructor(registration: RegistrationService) {
    super(registration, HYDRA_V1_REGISTRATION);
  }
}
