import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { KeyValueStore } from './key-value-store.js';

/** Redis behind the store interface; errors become misses and no-ops (logged), never failures. */
export class RedisStore implements KeyValueStore {
  readonly kind = 'redis' as const;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
  ) {}

  async get(key: string): Promise<string | null> {
    try {
      return await this.redis.get(key);
    } catch (error) {
      this.logger.warn(`cache read failed: ${(error as Error).message}`);
      return null;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
    } catch (error) {
      this.logger.warn(`cache write failed: ${(error as Error).message}`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.redis.del(key);
    } catch (error) {
      this.logger.warn(`cache delete failed: ${(error as Error).message}`);
    }
  }
}
