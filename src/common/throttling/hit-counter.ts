import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisGate } from '../redis/redis-gate.js';

/** A fixed-window count: how many hits so far and how long until the window closes. */
export type WindowCount = { count: number; ttlMs: number };

/**
 * Atomic fixed-window counters shared by every instance (Redis), or per process when Redis is
 * not configured or not answering. Used for the request throttlers and the login/register limits.
 */
export interface HitCounter {
  /** Counts one hit in the window that starts with the key's first hit. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /** Sets the key's count back to zero. */
  reset(key: string): Promise<void>;
  /** Stops background work (the in-process sweeper). */
  close(): void;
}

export const HIT_COUNTER = Symbol('HIT_COUNTER');

/** In-process counters; expired windows are swept as they are met and every minute. */
export class MemoryHitCounter implements HitCounter {
  private readonly windows = new Map<string, { count: number; expiresAt: number }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  hit(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.expiresAt <= now) {
      window = { count: 0, expiresAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    return Promise.resolve({ count: window.count, ttlMs: window.expiresAt - now });
  }

  reset(key: string): Promise<void> {
    this.windows.delete(key);
    return Promise.resolve();
  }

  close(): void {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.expiresAt <= now) this.windows.delete(key);
  }
}

// INCR and the first PEXPIRE in one step, so a window can never be left without an expiry.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;
const HIT_COMMAND = 'courseCompanionThrottleHit';

/**
 * Redis counters (one round trip per hit). While Redis is away the in-process counters stand in,
 * so limits still hold per instance instead of failing every request or none.
 */
export class RedisHitCounter implements HitCounter {
  private readonly redis: Redis & { [HIT_COMMAND]: (key: string, windowMs: string) => Promise<[number, number]> };

  constructor(
    redis: Redis,
    private readonly gate: RedisGate,
    private readonly fallback: HitCounter,
    private readonly logger: Logger,
    private readonly prefix = 'throttle:',
  ) {
    // A defined command runs by EVALSHA: Redis need not receive and hash the script on every hit.
    if (!(HIT_COMMAND in redis)) redis.defineCommand(HIT_COMMAND, { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis = redis as typeof this.redis;
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    try {
      const [count, ttlMs] = await this.gate.run(() => this.redis[HIT_COMMAND](this.prefix + key, String(windowMs)));
      return { count, ttlMs };
    } catch (error) {
      if (!RedisGate.skipped(error)) this.logger.warn(`rate-limit counter on Redis failed, counting in-process: ${(error as Error).message}`);
      return this.fallback.hit(key, windowMs);
    }
  }

  async reset(key: string): Promise<void> {
    await this.fallback.reset(key);
    try {
      await this.gate.run(() => this.redis.del(this.prefix + key));
    } catch (error) {
      if (!RedisGate.skipped(error)) this.logger.warn(`rate-limit counter reset on Redis failed: ${(error as Error).message}`);
    }
  }

  close(): void {
    this.fallback.close();
  }
}
