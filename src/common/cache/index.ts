/** Public API of common/cache: the key-value store port, its two stores, and the in-process memo. */
export { KEY_VALUE_STORE, type KeyValueStore } from './key-value-store.js';
export { Memo } from './memo.js';
export { MemoryStore } from './memory-store.js';
export { RedisStore } from './redis-store.js';
