/**
 * What each model accepts under the API version the SDK sends (2026-10-21), so no request is built
 * that the model would reject. Under that version no model takes sampling parameters
 * (`temperature`, `top_p`, `top_k` are "Extra inputs are not permitted"); from Opus/Sonnet 4.6 on,
 * models refuse assistant prefill, think adaptively and are steered with `output_config.effort`;
 * the 4.5 generation still takes prefill and thinking budgets but not effort.
 * Sources: platform.claude.com models overview and migration guides, prompt-caching (minimum
 * cacheable prefix), the SDK's MessageCreateParams.
 */
export type ModelCapabilities = {
  family: string;
  /** Always false under 2026-10-21; kept so the rule is stated, and tested, in one place. */
  samplingParameters: false;
  assistantPrefill: boolean;
  thinking: 'adaptive' | 'budget';
  effort: boolean;
  structuredOutput: boolean;
  /** A marked prefix shorter than this is not cached (no error, billed as plain input). */
  minCacheableTokens: number;
};

type Row = { match: RegExp; capabilities: ModelCapabilities };

const current = (family: string, minCacheableTokens: number): ModelCapabilities => ({
  family,
  samplingParameters: false,
  assistantPrefill: false,
  thinking: 'adaptive',
  effort: true,
  structuredOutput: true,
  minCacheableTokens,
});

const legacy = (family: string, minCacheableTokens: number): ModelCapabilities => ({
  family,
  samplingParameters: false,
  assistantPrefill: true,
  thinking: 'budget',
  effort: false,
  structuredOutput: true,
  minCacheableTokens,
});

const FAMILIES: readonly Row[] = [
  { match: /^claude-(fable|mythos)-5(-\d+)?$/, capabilities: current('claude-fable-5', 512) },
  { match: /^claude-opus-5(-\d+)?$/, capabilities: current('claude-opus-5', 512) },
  { match: /^claude-sonnet-5(-\d+)?$/, capabilities: current('claude-sonnet-5', 1024) },
  // Not published for Haiku 5.5; Haiku 4.5's minimum is assumed (a higher minimum only means a
  // prefix is left unmarked).
  { match: /^claude-haiku-5(-\d+)?$/, capabilities: current('claude-haiku-5', 4096) },
  { match: /^claude-mythos-preview$/, capabilities: current('claude-mythos-preview', 4096) },
  { match: /^claude-opus-4-8$/, capabilities: current('claude-4.6+', 1024) },
  { match: /^claude-opus-4-7$/, capabilities: current('claude-4.6+', 2048) },
  { match: /^claude-opus-4-6$/, capabilities: current('claude-4.6+', 4096) },
  { match: /^claude-sonnet-4-6$/, capabilities: current('claude-4.6+', 1024) },
  { match: /^claude-sonnet-4-5(-\d{8})?$/, capabilities: legacy('claude-4.5', 1024) },
  { match: /^claude-haiku-4-5(-\d{8})?$/, capabilities: legacy('claude-4.5', 4096) },
  { match: /^claude-opus-4-5(-\d{8})?$/, capabilities: legacy('claude-4.5', 4096) },
];

/** Unknown models get a request every current model accepts: no prefill, no effort, no sampling. */
const CONSERVATIVE: ModelCapabilities = {
  family: 'unknown',
  samplingParameters: false,
  assistantPrefill: false,
  thinking: 'adaptive',
  effort: false,
  structuredOutput: true,
  minCacheableTokens: 4096,
};

export function capabilitiesFor(model: string): ModelCapabilities {
  return FAMILIES.find((f) => f.match.test(model))?.capabilities ?? CONSERVATIVE;
}

/**
 * Room for adaptive thinking on top of the answer's own budget: thinking counts against
 * max_tokens, so at high effort a small budget would be spent before the answer starts. Only the
 * tokens used are billed; max_tokens is a ceiling.
 */
export const THINKING_HEADROOM: Readonly<Record<'low' | 'medium' | 'high', number>> = { low: 1024, medium: 4096, high: 16_000 };

export function maxTokensFor(model: string, answerTokens: number, effort: 'low' | 'medium' | 'high'): number {
  const capabilities = capabilitiesFor(model);
  return capabilities.thinking === 'adaptive' ? answerTokens + THINKING_HEADROOM[effort] : answerTokens;
}
