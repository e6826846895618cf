import { configSlice, type ConfigOf } from '../../config/index.js';

export const throttleConfig = configSlice('throttling', ['THROTTLE_WINDOW_SECONDS', 'THROTTLE_LIMIT_PER_IP', 'THROTTLE_LIMIT_PER_USER']);

/** The short-window request limits, read once: requests per window per address and per student (0 = off). */
export type ThrottleLimits = { windowMs: number; perIp: number; perUser: number };

export const THROTTLE_LIMITS = Symbol('THROTTLE_LIMITS');

export function throttleLimits(config: ConfigOf<typeof throttleConfig>): ThrottleLimits {
  return { windowMs: config.THROTTLE_WINDOW_SECONDS * 1000, perIp: config.THROTTLE_LIMIT_PER_IP, perUser: config.THROTTLE_LIMIT_PER_USER };
}
