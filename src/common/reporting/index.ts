/** Public API of common/reporting: the registry that feature modules put their completion measures into. */
export { CompletionSources, CompletionSourcesModule, type CompletionFigure, type CompletionSource } from './completion-sources.js';
