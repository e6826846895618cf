import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { AppConfigModule, configSlice, type ConfigOf } from '../../config/index.js';
import type { RedisGate } from '../redis/redis-gate.js';
import { REDIS, REDIS_GATE } from '../redis/redis.tokens.js';
import { HIT_COUNTER, MemoryHitCounter, RedisHitCounter, type HitCounter } from './hit-counter.js';
import { CounterThrottlerStorage } from './throttler-storage.js';
import { IP_THROTTLER, IpThrottlerGuard, studentOf, USER_THROTTLER } from './throttler.guards.js';

export const throttleConfig = configSlice('throttling', ['THROTTLE_WINDOW_SECONDS', 'THROTTLE_LIMIT_PER_IP', 'THROTTLE_LIMIT_PER_USER']);

/**
 * Short-window request limits: per client address on every route (before authentication) and per
 * student on every authenticated route (UserThrottlerGuard, registered after the JWT guard).
 * Counters live in Redis when REDIS_URL is set, so the limits hold across instances.
 */
@Global()
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [AppConfigModule.forFeature(throttleConfig)],
      inject: [throttleConfig.KEY, HIT_COUNTER],
      useFactory: (config: ConfigOf<typeof throttleConfig>, counter: HitCounter) => {
        const ttl = config.THROTTLE_WINDOW_SECONDS * 1000;
        return {
          storage: new CounterThrottlerStorage(counter),
          // One budget per client across all routes, not one per route.
          generateKey: (_context, tracker, name) => `${name}:${tracker}`,
          throttlers: [
            {
              name: IP_THROTTLER,
              ttl,
              limit: config.THROTTLE_LIMIT_PER_IP,
              skipIf: () => config.THROTTLE_LIMIT_PER_IP === 0,
            },
            {
              name: USER_THROTTLER,
              ttl,
              limit: config.THROTTLE_LIMIT_PER_USER,
              getTracker: (req) => studentOf(req as FastifyRequest) ?? '',
              skipIf: (context) =>
                config.THROTTLE_LIMIT_PER_USER === 0 || !studentOf(context.switchToHttp().getRequest<FastifyRequest>()),
            },
          ],
        };
      },
    }),
  ],
  providers: [
    {
      provide: HIT_COUNTER,
      inject: [REDIS, REDIS_GATE],
      useFactory: (redis: Redis | null, gate: RedisGate | null): HitCounter => {
        const memory = new MemoryHitCounter();
        return redis && gate ? new RedisHitCounter(redis, gate, memory, new Logger('RateLimits')) : memory;
      },
    },
    { provide: APP_GUARD, useClass: IpThrottlerGuard },
  ],
  exports: [HIT_COUNTER, ThrottlerModule],
})
export class ThrottlingModule implements OnApplicationShutdown {
  constructor(@Inject(HIT_COUNTER) private readonly counter: HitCounter) {}

  onApplicationShutdown(): void {
    this.counter.close();
  }
}
