import { Body, Controller, Put, Query } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { ApiOkResponse, ApiPropertyOptional, ApiQuery, ApiTags, DeviceUserCodeService } from '@hydrant/core';
import { RedirectToResponse } from './flow.response';

/** Hydra's AcceptDeviceUserCodeRequest. Optional here so that a missing code is Hydra's 400 invalid_request. */
export class AcceptDeviceUserCodeDto {
  @ApiPropertyOptional({ description: 'The user code the user entered.' })
  @IsOptional() @IsString() user_code?: string;
}

/** The device page's call (Hydra v2 OAuth2Api: acceptUserCodeRequest), RFC 8628's user interaction. */
@ApiTags('flows')
@Controller('admin/oauth2/auth/requests/device')
export class DeviceRequestsController {
  constructor(private readonly userCodes: DeviceUserCodeService) {}

  @ApiQuery({ name: 'device_challenge', required: true, type: String })
  @ApiOkResponse({ type: RedirectToResponse })
  @Put('accept')
  accept(@Query('device_challenge') challenge: string | undefined, @Body() body: AcceptDeviceUserCodeDto) {
    return this.userCodes.accept(challenge, body.user_code);
  }
}
