import type { AppConfig } from '../../config/index.js';
import type { LlmProviderName } from '../llm-client.port.js';
import type { PriceOverride } from './cost-calculator.js';

export type PriceSettings = Partial<Pick<AppConfig, 'LLM_PRICE_INPUT' | 'LLM_PRICE_OUTPUT' | 'LLM_PRICE_CACHE_READ' | 'LLM_PRICE_CACHE_WRITE'>>;

/**
 * The LLM_PRICE_* settings as rates, for models the price list does not have. Input and output
 * go together; an unset cache rate is taken at its most expensive plausible value (reads at the
 * input rate, writes at twice it, the 1-hour write premium), so nothing is under-counted.
 * An OpenAI-compatible server with no prices set is local: $0, flagged `local`.
 */
export function priceOverride(config: PriceSettings, provider: LlmProviderName): PriceOverride | undefined {
  const input = config.LLM_PRICE_INPUT;
  const output = config.LLM_PRICE_OUTPUT;
  if (input !== undefined && output !== undefined) {
    const write = config.LLM_PRICE_CACHE_WRITE ?? input * 2;
    return {
      priced: 'configured',
      rates: {
        input,
        output,
        cacheRead: config.LLM_PRICE_CACHE_READ ?? input,
        cacheWrite5m: write,
        cacheWrite1h: write,
        batchDiscountPercent: 0,
      },
    };
  }
  if (provider === 'openai-compatible') {
    return { priced: 'local', rates: { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, batchDiscountPercent: 0 } };
  }
  return undefined;
}

/** A boot error for half a price: one of input/output without the other. */
export function priceSettingsProblem(config: PriceSettings): string | undefined {
  const set = ['LLM_PRICE_INPUT', 'LLM_PRICE_OUTPUT', 'LLM_PRICE_CACHE_READ', 'LLM_PRICE_CACHE_WRITE'].filter(
    (name) => config[name as keyof PriceSettings] !== undefined,
  );
  if (set.length === 0) return undefined;
  if (config.LLM_PRICE_INPUT === undefined || config.LLM_PRICE_OUTPUT === undefined) {
    return `Invalid configuration: ${set.join(', ')} set without both LLM_PRICE_INPUT and LLM_PRICE_OUTPUT`;
  }
  return undefined;
}
