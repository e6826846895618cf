/** Public API of common/cli: a progress line for long commands on a terminal. */
export { progress, type Progress } from './progress.js';
