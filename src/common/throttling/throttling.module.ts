import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Redis } from 'ioredis';
import { AppConfigModule } from '../../config/index.js';
import { AccessTokensModule } from '../auth/access-tokens.module.js';
import type { RedisGate } from '../redis/redis-gate.js';
import { REDIS, REDIS_GATE } from '../redis/redis.tokens.js';
import { HIT_COUNTER, MemoryHitCounter, RedisHitCounter, type HitCounter } from './hit-counter.js';
import { THROTTLE_LIMITS, throttleConfig, throttleLimits } from './throttle-limits.js';
import { IpThrottlerGuard } from './throttler.guards.js';

/**
 * Short-window request limits: per client address on every route (before authentication) and per
 * student on every authenticated route (UserThrottlerGuard, registered after the JWT guard), both
 * counted in one round trip by the address guard. One budget per client across all routes.
 * Counters live in Redis when REDIS_URL is set, so the limits hold across instances.
 */
@Global()
@Module({
  imports: [AppConfigModule.forFeature(throttleConfig), AccessTokensModule],
  providers: [
    { provide: THROTTLE_LIMITS, inject: [throttleConfig.KEY], useFactory: throttleLimits },
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
  exports: [HIT_COUNTER, THROTTLE_LIMITS],
})
export class ThrottlingModule implements OnApplicationShutdown {
  constructor(@Inject(HIT_COUNTER) private readonly counter: HitCounter) {}

  onApplicationShutdown(): void {
    this.counter.close();
  }
}
