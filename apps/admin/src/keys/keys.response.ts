import { JsonWebKeyDto } from './keys.dto';
import { ApiProperty } from '@hydrant/core';

/** Hydra's JsonWebKeySet as the admin API answers it: private members included where Hydrant holds the private key. */
export class JsonWebKeySetResponse {
  @ApiProperty({ type: () => [JsonWebKeyDto] }) keys: JsonWebKeyDto[];
}
