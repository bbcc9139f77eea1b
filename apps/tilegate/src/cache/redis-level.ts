// Placeholder until the Redis level lands (branch redis).
import type { SharedLevel } from './shared-tiles';
export const RedisLevel: new (options: { url: string; namespace: string; logger: { warn(obj: object, msg: string): void } }) => SharedLevel = undefined as never;
