import { LRUCache } from 'lru-cache';

export type MemoOptions = {
  /** Entries kept at most; past it the least recently used one goes. */
  max: number;
  /** How long an entry is served, when it expires at all (`set` may give one entry its own). */
  ttlMs?: number;
  /** The clock, for tests. */
  now?: () => number;
};

/**
 * Values kept in process: the one in-process cache (lru-cache underneath), bounded by `max` and,
 * when given, a TTL. `get` shares one load per key among its callers; a load that throws or
 * rejects is not kept, so the next caller tries again.
 */
export class Memo<V extends object | string | number | boolean = object> {
  private readonly entries: LRUCache<string, V>;

  constructor({ max, ttlMs, now }: MemoOptions) {
    this.entries = new LRUCache<string, V>({
      max,
      ...(ttlMs !== undefined && { ttl: ttlMs }),
      // Read the clock at every check: lru-cache's default caches it for a millisecond with a timer.
      ttlResolution: 0,
      ...(now && { perf: { now } }),
    });
  }

  get<T extends V>(key: string, load: () => T): T {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit as T;
    const value = load();
    this.entries.set(key, value);
    if (value instanceof Promise) {
      value.catch(() => {
        if (this.entries.peek(key) === value) this.entries.delete(key);
      });
    }
    return value;
  }

  /** The live entry, if any, without loading. */
  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps `value` (for `ttlMs` instead of the memo's TTL when given; none left: nothing is kept). */
  set(key: string, value: V, ttlMs?: number): void {
    if (ttlMs === undefined) this.entries.set(key, value);
    // lru-cache reads a TTL of 0 as "never expires".
    else if (ttlMs <= 0) this.entries.delete(key);
    else this.entries.set(key, value, { ttl: Math.ceil(ttlMs) });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
