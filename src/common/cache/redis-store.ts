import type { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisGate } from '../redis/redis-gate.js';
import type { KeyValueStore } from './key-value-store.js';

/** How many keys with missed writes are remembered; past that, some may stay stale until they expire. */
const MAX_UNSYNCED = 50_000;
const DELETE_BATCH = 500;

/**
 * Redis behind the store interface; errors become misses and no-ops (logged), never failures.
 * A write missed while Redis was out of reach would leave its old value there (a partition, or a
 * Redis that kept its data), so those keys are deleted as soon as Redis is back: the next read
 * misses and rebuilds them from PostgreSQL. Every command goes through the gate, so a Redis that
 * is connected but not answering costs a request its command timeout at most, then nothing.
 */
export class RedisStore implements KeyValueStore {
  readonly kind = 'redis' as const;
  private readonly unsynced = new Set<string>();
  private overflowed = false;

  constructor(
    private readonly redis: Redis,
    private readonly gate: RedisGate,
    private readonly logger: Logger,
  ) {
    redis.on('ready', () => void this.dropUnsynced());
    // A Redis that was stuck (not disconnected) comes back without a new 'ready'.
    gate.onRecovered(() => void this.dropUnsynced());
  }

  async get(key: string): Promise<string | null> {
    try {
      return await this.gate.run(() => this.redis.get(key));
    } catch (error) {
      if (!RedisGate.skipped(error)) this.logger.warn(`cache read failed: ${(error as Error).message}`);
      return null;
    }
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    try {
      await this.gate.run(() => this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds))));
      this.unsynced.delete(key);
    } catch (error) {
      this.remember(key);
      if (!RedisGate.skipped(error)) this.logger.warn(`cache write failed: ${(error as Error).message}`);
    }
  }

  async delete(key: string): Promise<void> {
    try {
      await this.gate.run(() => this.redis.del(key));
      this.unsynced.delete(key);
    } catch (error) {
      this.remember(key);
      if (!RedisGate.skipped(error)) this.logger.warn(`cache delete failed: ${(error as Error).message}`);
    }
  }

  /** Keys whose last write was missed (for tests and diagnostics). */
  get unsyncedKeys(): number {
    return this.unsynced.size;
  }

  private remember(key: string): void {
    if (this.unsynced.size < MAX_UNSYNCED) this.unsynced.add(key);
    else this.overflowed = true;
  }

  private async dropUnsynced(): Promise<void> {
    if (this.overflowed) {
      this.overflowed = false;
      this.logger.warn(`more than ${MAX_UNSYNCED} cache writes were missed while Redis was away; some entries may be stale until they expire`);
    }
    const keys = [...this.unsynced];
    // The first DEL goes out before any command queued after 'ready', so no read sees the old value.
    for (let i = 0; i < keys.length; i += DELETE_BATCH) {
      const batch = keys.slice(i, i + DELETE_BATCH);
      try {
        await this.redis.del(...batch);
      } catch (error) {
        // Gone again: what is left is retried at the next 'ready'.
        if (!RedisGate.skipped(error)) this.logger.warn(`dropping stale cache entries failed: ${(error as Error).message}`);
        return;
      }
      for (const key of batch) this.unsynced.delete(key);
    }
    if (keys.length > 0) this.logger.log(`dropped ${keys.length} cache entries written while Redis was away`);
  }
}
