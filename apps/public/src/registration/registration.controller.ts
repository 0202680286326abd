import { Body, Controller, Delete, Get, Headers, HttpCode, Ip, Param, Post, Put } from '@nestjs/common';
import { ClientDto, RegistrationService } from '@hydrant/core';

/** RFC 7591 dynamic client registration and RFC 7592 client configuration. */
@Controller('oauth2/register')
export class RegistrationController {
  constructor(private readonly registration: RegistrationService) {}

  /** RFC 7591 §3.1 */
  @Post()
  @HttpCode(201)
  register(@Body() body: ClientDto, @Ip() ip: string) {
    return this.registration.register(body, ip);
  }

  /** RFC 7592 §2.1 */
  @Get(':id')
  read(@Param('id') id: string, @Headers('authorization') authorization?: string) {
    return this.registration.read(id, authorization);
  }

  /** RFC 7592 §2.2 */
  @Put(':id')
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
