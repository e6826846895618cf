/**
 * The fake Messages API's own table of the models the API serves and the rules each enforces
 * under API version 2026-10-21 (kept apart from src/llm on purpose: the fake states what the API
 * does, the app's capabilities table is what is tested against it). Sources: the model overview
 * and migration pages on platform.claude.com, prompt caching's minimum cacheable lengths, the
 * 2026-10-21 version notes (sampling parameters rejected on every model).
 */
export type FakeModelRules = {
  /** The conversation may end with an assistant turn (prefill). */
  prefill: boolean;
  /** output_config.effort is accepted. */
  effort: boolean;
  /** thinking: {type: "enabled", budget_tokens} is accepted. */
  thinkingBudget: boolean;
  /** thinking: {type: "disabled"} is accepted. */
  thinkingDisabled: boolean;
  /** inference_geo is accepted (Opus 4.6 and later). */
  inferenceGeo: boolean;
  /** Shortest prefix, in tokens, the prompt cache stores. */
  minCacheableTokens: number;
};

const gen5 = (minCacheableTokens: number): FakeModelRules => ({
  prefill: false,
  effort: true,
  thinkingBudget: false,
  thinkingDisabled: false,
  inferenceGeo: true,
  minCacheableTokens,
});
const gen46 = (minCacheableTokens: number): FakeModelRules => ({
  prefill: false,
  effort: true,
  thinkingBudget: true,
  thinkingDisabled: true,
  inferenceGeo: true,
  minCacheableTokens,
});
const gen45 = (minCacheableTokens: number): FakeModelRules => ({
  prefill: true,
  effort: false,
  thinkingBudget: true,
  thinkingDisabled: true,
  inferenceGeo: false,
  minCacheableTokens,
});

export const FAKE_MODELS: Readonly<Record<string, FakeModelRules>> = {
  'claude-fable-5-2': gen5(512),
  'claude-mythos-5-2': gen5(512),
  'claude-fable-5-1': gen5(512),
  'claude-mythos-5-1': gen5(512),
  'claude-fable-5': gen5(512),
  'claude-mythos-5': gen5(512),
  'claude-mythos-preview': gen5(4096),
  'claude-opus-5-5': gen5(512),
  'claude-opus-5': gen5(512),
  'claude-sonnet-5-5': gen5(1024),
  'claude-sonnet-5': gen5(1024),
  'claude-haiku-5-5': gen5(4096),
  'claude-opus-4-8': gen46(1024),
  'claude-opus-4-7': gen46(2048),
  'claude-opus-4-6': gen46(4096),
  'claude-sonnet-4-6': gen46(1024),
  'claude-sonnet-4-5': gen45(1024),
  'claude-sonnet-4-5-20250929': gen45(1024),
  'claude-haiku-4-5': gen45(4096),
  'claude-haiku-4-5-20251001': gen45(4096),
  'claude-opus-4-5': gen45(4096),
  'claude-opus-4-5-20251101': gen45(4096),
};

/** The versions the fake speaks; only 2026-10-21 is what the installed SDK sends. */
export const API_VERSIONS = ['2026-10-21', '2023-06-01'] as const;

/** `GET /v1/models`: every model of the table, in one page. */
export function modelsPage(): Record<string, unknown> {
  const data = Object.keys(FAKE_MODELS).map((id) => ({ type: 'model', id, display_name: id, created_at: '2026-01-01T00:00:00Z' }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
