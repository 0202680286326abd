import { Body, CanActivate, Controller, Delete, Get, Header, Headers, HttpCode, Injectable, Ip, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ClientDto, RegistrationService } from '@hydrant/core';

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
 * RFC 7591 dynamic client registration and RFC 7592 client configuration. Answers carry the client's
 * secret or registration access token, so none may be cached (RFC 6749 §5.1, RFC 7591 §3.2.1).
 */
@Controller('oauth2/register')
@UseGuards(RegistrationEnabledGuard)
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  /** RFC 7591 §3.1 */
  @Post()
  @HttpCode(201)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  register(@Body() body: ClientDto, @Ip() ip: string) {
    return this.registration.register(body, ip);
  }

  /** RFC 7592 §2.1 */
  @Get(':id')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  read(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return this.registration.read(id, authorization);
  }

  /** RFC 7592 §2.2 */
  @Put(':id')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  update(@Param('id') id: string, @Body() body: ClientDto, @Headers('authorization') authorization?: string) {
    return this.registration.update(id, body, authorization);
  }

  /** RFC 7592 §2.3 */
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    await this.registration.remove(id, authorization);
  }
}
