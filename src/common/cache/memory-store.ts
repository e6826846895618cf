import type { KeyValueStore } from './key-value-store.js';
import { Memo } from './memo.js';

const MAX_ENTRIES = 100_000;

/** The in-process stand-in for Redis (one instance only): entries expire, the least recently used go first. */
export class MemoryStore implements KeyValueStore {
  readonly kind = 'memory' as const;
  private readonly entries = new Memo<string>({ max: MAX_ENTRIES });

  get(key: string): Promise<string | null> {
    return Promise.resolve(this.entries.peek(key) ?? null);
  }

  set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, value, ttlSeconds * 1000);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }
}
