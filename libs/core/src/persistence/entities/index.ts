import { ClientAssertionJtiEntity } from './client-assertion.entity';
import { ClientEntity } from './client.entity';
import { JwkEntity } from './jwk.entity';
import { RateLimitEntity } from './rate-limit.entity';
import { SettingEntity } from './setting.entity';
import { TokenEntity } from './token.entity';

export { ClientAssertionJtiEntity, ClientEntity, JwkEntity, RateLimitEntity, SettingEntity, TokenEntity };
export const ENTITIES = [ClientEntity, SettingEntity, RateLimitEntity, TokenEntity, ClientAssertionJtiEntity, JwkEntity];
