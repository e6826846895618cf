import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisGate } from '../redis/redis-gate.js';

/** A fixed-window count: how many hits so far and how long until the window closes. */
export type WindowCount = { count: number; ttlMs: number };

/** One counter of a `hitEach` call: its key, window, and the count past which the later ones are not counted. */
export type LimitedHit = { key: string; windowMs: number; limit: number };

/**
 * Atomic fixed-window counters shared by every instance (Redis), or per process when Redis is
 * not configured or not answering. Used for the request throttlers and the login/register limits.
 */
export interface HitCounter {
  /** Counts one hit in the window that starts with the key's first hit. */
  hit(key: string, windowMs: number): Promise<WindowCount>;
  /**
   * Counts the hits in order, in one step (one Redis round trip), stopping after the first one
   * over its limit: a request refused by one limit is not counted against the next ones. Returns
   * the counts made, in order.
   */
  hitEach(hits: readonly LimitedHit[]): Promise<WindowCount[]>;
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

  async hitEach(hits: readonly LimitedHit[]): Promise<WindowCount[]> {
    const counts: WindowCount[] = [];
    for (const { key, windowMs, limit } of hits) {
      const counted = await this.hit(key, windowMs);
      counts.push(counted);
      if (counted.count > limit) break;
    }
    return counts;
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

// INCR and the first PEXPIRE in one step, so a window can never be left without an expiry. Each
// key i takes its window ARGV[2i-1] and limit ARGV[2i]; the keys after one over its limit are not
// counted. Returns count, ttl for each key counted. (The keys of one call must share a hash slot
// on a Redis Cluster; this app runs one Redis.)
const HIT_SCRIPT = `
local out = {}
for i, key in ipairs(KEYS) do
  local window = ARGV[2 * i - 1]
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('PEXPIRE', key, window) end
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then redis.call('PEXPIRE', key, window); ttl = tonumber(window) end
  out[#out + 1] = count
  out[#out + 1] = ttl
  if count > tonumber(ARGV[2 * i]) then break end
end
return out`;
/** The script is defined once per key count: ioredis needs the count to apply its key prefix. */
const hitCommand = (keys: number) => `courseCompanionThrottleHit${keys}`;
type HitCommand = (...keysThenArgs: string[]) => Promise<number[]>;

/**
 * Redis counters (one round trip per call, however many counters it hits). While Redis is away the in-process counters stand in,
 * so limits still hold per instance instead of failing every request or none.
 */
export class RedisHitCounter implements HitCounter {
  private readonly redis: Redis & Record<string, HitCommand | undefined>;

  constructor(
    redis: Redis,
    private readonly gate: RedisGate,
    private readonly fallback: HitCounter,
    private readonly logger: Logger,
    private readonly prefix = 'throttle:',
  ) {
    this.redis = redis as typeof this.redis;
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const [counted] = await this.hitEach([{ key, windowMs, limit: Number.MAX_SAFE_INTEGER }]);
    return counted!;
  }

  async hitEach(hits: readonly LimitedHit[]): Promise<WindowCount[]> {
    if (hits.length === 0) return [];
    const command = hitCommand(hits.length);
    // A defined command runs by EVALSHA: Redis need not receive and hash the script on every hit.
    if (!(command in this.redis)) this.redis.defineCommand(command, { numberOfKeys: hits.length, lua: HIT_SCRIPT });
    const keys = hits.map((h) => this.prefix + h.key);
    const args = hits.flatMap((h) => [String(h.windowMs), String(h.limit)]);
    try {
      const reply = await this.gate.run(() => this.redis[command]!(...keys, ...args));
      const counts: WindowCount[] = [];
      for (let i = 0; i < reply.length; i += 2) counts.push({ count: reply[i]!, ttlMs: reply[i + 1]! });
      return counts;
    } catch (error) {
      if (!RedisGate.skipped(error)) this.logger.warn(`rate-limit counter on Redis failed, counting in-process: ${(error as Error).message}`);
      return this.fallback.hitEach(hits);
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
