/** The shared ioredis connection, or null when REDIS_URL is unset (in-process stores stand in). */
export const REDIS = Symbol('REDIS');
