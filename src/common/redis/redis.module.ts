import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfigModule, configSlice, type ConfigOf } from '../../config/index.js';
import { KEY_VALUE_STORE, type KeyValueStore } from '../cache/key-value-store.js';
import { MemoryStore } from '../cache/memory-store.js';
import { RedisStore } from '../cache/redis-store.js';
import { RedisGate } from './redis-gate.js';
import { REDIS, REDIS_GATE } from './redis.tokens.js';

/** How long Redis is skipped after it stopped answering, before one command probes it again. */
const GATE_RETRY_AFTER_MS = 1000;

export const redisConfig = configSlice('redis', ['REDIS_URL', 'REDIS_COMMAND_TIMEOUT_MS', 'REDIS_KEY_PREFIX']);

@Global()
@Module({
  imports: [AppConfigModule.forFeature(redisConfig)],
  providers: [
    {
      provide: REDIS,
      inject: [redisConfig.KEY],
      useFactory: (config: ConfigOf<typeof redisConfig>): Redis | null => {
        const url = config.REDIS_URL;
        if (!url) return null;
        const logger = new Logger('Redis');
        // Commands fail fast while Redis is away instead of queueing (no offline queue, nothing
        // resent after a reconnect), and wait at most REDIS_COMMAND_TIMEOUT_MS for an answer from a
        // Redis that is connected but stuck; callers treat a failure as a cache miss.
        // Auto-pipelining sends the commands of one event-loop turn in one write (every request hits
        // the rate-limit counters, so under load that is most of them).
        const redis = new Redis(url, {
          lazyConnect: true,
          commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
          connectTimeout: 2000,
          maxRetriesPerRequest: 0,
          autoResendUnfulfilledCommands: false,
          enableOfflineQueue: false,
          enableAutoPipelining: true,
          retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
          keyPrefix: config.REDIS_KEY_PREFIX,
        });
        redis.on('error', (error: Error) => logger.warn(`Redis: ${error.message}`));
        redis.connect().catch(() => undefined);
        return redis;
      },
    },
    {
      provide: REDIS_GATE,
      inject: [REDIS],
      useFactory: (redis: Redis | null): RedisGate | null => {
        if (!redis) return null;
        const gate = new RedisGate(GATE_RETRY_AFTER_MS, new Logger('Redis'));
        redis.on('ready', () => gate.reset());
        return gate;
      },
    },
    {
      provide: KEY_VALUE_STORE,
      inject: [REDIS, REDIS_GATE],
      useFactory: (redis: Redis | null, gate: RedisGate | null): KeyValueStore =>
        redis && gate ? new RedisStore(redis, gate, new Logger('KeyValueStore')) : new MemoryStore(),
    },
  ],
  exports: [REDIS, REDIS_GATE, KEY_VALUE_STORE],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis | null) {}

  onApplicationShutdown(): void {
    this.redis?.disconnect();
  }
}
