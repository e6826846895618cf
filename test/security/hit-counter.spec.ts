import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { MemoryHitCounter, RedisHitCounter, type HitCounter } from '../../src/common/throttling/hit-counter.js';
import { RedisGate } from '../../src/common/redis/redis-gate.js';
import { openTestRedis } from '../support/test-redis.js';

/** Both throttle counters of a request in one call: counted in order, none after a refusal. */
describe.each(['memory', 'redis'] as const)('hitEach on the %s counters', (kind) => {
  let redis: Redis | undefined;
  let counter: HitCounter;
  const ip = () => `ip:test-${randomBytes(6).toString('hex')}`;
  const user = () => `user:test-${randomBytes(6).toString('hex')}`;

  beforeAll(() => {
    const memory = new MemoryHitCounter();
    if (kind === 'memory') {
      counter = memory;
      return;
    }
    redis = openTestRedis();
    counter = new RedisHitCounter(redis, new RedisGate(1000, new Logger('test')), memory, new Logger('test'));
  });
  afterAll(() => {
    counter.close();
    redis?.disconnect();
  });

  it('counts both keys with their windows, each on its own', async () => {
    const [a, b] = [ip(), user()];
    const first = await counter.hitEach([{ key: a, windowMs: 60_000, limit: 5 }, { key: b, windowMs: 30_000, limit: 5 }]);
    const second = await counter.hitEach([{ key: a, windowMs: 60_000, limit: 5 }, { key: b, windowMs: 30_000, limit: 5 }]);
    expect(first.map((c) => c.count)).toEqual([1, 1]);
    expect(second.map((c) => c.count)).toEqual([2, 2]);
    expect(second[0]!.ttlMs).toBeGreaterThan(30_000);
    expect(second[0]!.ttlMs).toBeLessThanOrEqual(60_000);
    expect(second[1]!.ttlMs).toBeLessThanOrEqual(30_000);
    // The single-key form sees the same counter.
    expect((await counter.hit(a, 60_000)).count).toBe(3);
  });

  it('stops after the first key over its limit: the next one is not counted', async () => {
    const [a, b] = [ip(), user()];
    const hits = [{ key: a, windowMs: 60_000, limit: 1 }, { key: b, windowMs: 60_000, limit: 10 }];
    expect((await counter.hitEach(hits)).map((c) => c.count)).toEqual([1, 1]);
    expect((await counter.hitEach(hits)).map((c) => c.count)).toEqual([2]);
    expect((await counter.hitEach(hits)).map((c) => c.count)).toEqual([3]);
    expect((await counter.hit(b, 60_000)).count).toBe(2);
  });
});
