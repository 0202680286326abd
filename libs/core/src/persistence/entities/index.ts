import { ClientEntity } from './client.entity';
import { RateLimitEntity } from './rate-limit.entity';
import { SettingEntity } from './setting.entity';

export { ClientEntity, RateLimitEntity, SettingEntity };
export const ENTITIES = [ClientEntity, SettingEntity, RateLimitEntity];
