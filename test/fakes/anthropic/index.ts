/**
 * The fake Anthropic Messages API the tests and benches point the real SDK at. One file per
 * concern: server.ts (start, script, routing), messages.ts, count-tokens.ts, batches.ts,
 * rules.ts (what the API refuses, per model from models.ts), usage.ts (tokens and prompt
 * caching), faults.ts (scripted failures), schema-values.ts (structured-output answers).
 */
export { FakeAnthropicServer } from './server.js';
export type { FakeAnthropicOptions, FakeResponder, RecordedRequest } from './options.js';
export { MALFORMED_JSON_TEXT, SCHEMA_VIOLATION_TEXT, type FakeMode } from './faults.js';
export { PLAIN_TEXT_REPLY } from './messages.js';
export { countTokens } from './usage.js';
export { MAX_REQUEST_BYTES, RATE_LIMIT_REQUESTS } from './http.js';
export { exampleFromSchema } from './schema-values.js';
export type { StreamOutcome } from './streaming.js';
