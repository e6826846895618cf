/** Public API of common/money: integer micro-dollars and every conversion to and from them. */
export { divideMicro, formatUsd, MICRO_PER_USD, microToUsd, parseUsd, sqlSumMicroUsd, trimDecimal } from './micro-usd.js';
