/** The shared ioredis connection, or null when REDIS_URL is unset (in-process stores stand in). */
export const REDIS = Symbol('REDIS');

/** The RedisGate every Redis command of the app goes through (null with no REDIS_URL). */
export const REDIS_GATE = Symbol('REDIS_GATE');
