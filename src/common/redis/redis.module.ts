import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Redis } from 'ioredis';
import type { AppConfig } from '../../config/config.loader.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '../cache/key-value-store.js';
import { MemoryStore } from '../cache/memory-store.js';
import { RedisStore } from '../cache/redis-store.js';
import { REDIS } from './redis.tokens.js';

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>): Redis | null => {
        const url = config.get('REDIS_URL', { infer: true });
        if (!url) return null;
        const logger = new Logger('Redis');
        // Commands fail fast while Redis is away instead of queueing; callers treat that as a cache miss.
        // Auto-pipelining sends the commands of one event-loop turn in one write (every request hits
        // the rate-limit counters, so under load that is most of them).
        const redis = new Redis(url, {
          lazyConnect: true,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          enableAutoPipelining: true,
          keyPrefix: config.get('REDIS_KEY_PREFIX', { infer: true }),
        });
        redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
        redis.connect().catch(() => undefined);
        return redis;
      },
    },
    {
      provide: KEY_VALUE_STORE,
      inject: [REDIS],
      useFactory: (redis: Redis | null): KeyValueStore =>
        redis ? new RedisStore(redis, new Logger('KeyValueStore')) : new MemoryStore(),
    },
  ],
  exports: [REDIS, KEY_VALUE_STORE],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
