import { ClientAssertionJtiEntity } from './client-assertion.entity';
import { ClientEntity } from './client.entity';
import { RateLimitEntity } from './rate-limit.entity';
import { SettingEntity } from './setting.entity';
import { TokenEntity } from './token.entity';

export { ClientAssertionJtiEntity, ClientEntity, RateLimitEntity, SettingEntity, TokenEntity };
export const ENTITIES = [ClientEntity, SettingEntity, RateLimitEntity, TokenEntity, ClientAssertionJtiEntity];
