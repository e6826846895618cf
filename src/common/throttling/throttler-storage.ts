import type { ThrottlerStorage } from '@nestjs/throttler';
import type { HitCounter } from './hit-counter.js';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's storage on our counters (Redis when configured). A client over the limit
 * stays blocked until the window ends; the throttlers here use no separate block duration.
 */
export class CounterThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counter: HitCounter) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const { count, ttlMs } = await this.counter.hit(key, ttl);
    const seconds = Math.max(1, Math.ceil(ttlMs / 1000));
    const isBlocked = count > limit;
    return { totalHits: count, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
  }
}
