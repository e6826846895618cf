/** Public API of common/throttling. */
export { HIT_COUNTER, type HitCounter } from './hit-counter.js';
export { UserThrottlerGuard } from './throttler.guards.js';
export { ThrottlingModule } from './throttling.module.js';
