/** Public API of common/batching. */
export { GroupCommit, type BatchWriter, type GroupCommitOptions } from './group-commit.js';
