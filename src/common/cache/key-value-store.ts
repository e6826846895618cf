/**
 * A small key-value store with expiry: Redis when REDIS_URL is set, an in-process map otherwise.
 * Callers treat it as a cache: a failed read is a miss and a failed write is ignored, because
 * PostgreSQL holds the truth.
 */
export interface KeyValueStore {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
}

export const KEY_VALUE_STORE = Symbol('KEY_VALUE_STORE');
