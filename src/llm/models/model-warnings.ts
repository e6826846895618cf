import { LLM_FEATURES } from '../../common/features/index.js';
import type { LlmProviderName } from '../llm-client.port.js';
import type { PriceSettings } from '../pricing/configured-price.js';
import { priceFor } from '../pricing/cost-calculator.js';
import { modelFor, type ModelSettings } from './model-selection.js';

/** What to warn about at boot: models that are unpriced, deprecated, or already retired. */
export function modelWarnings(config: ModelSettings & PriceSettings, now: Date, provider: LlmProviderName = 'anthropic'): string[] {
  const configured = config.LLM_PRICE_INPUT !== undefined && config.LLM_PRICE_OUTPUT !== undefined;
  return LLM_FEATURES.flatMap((feature) => {
    const model = modelFor(feature, config);
    if (provider === 'openai-compatible') {
      return configured ? [] : [`${feature}: model ${model} on LLM_BASE_URL is priced at $0 (local); set LLM_PRICE_INPUT and LLM_PRICE_OUTPUT if it costs money`];
    }
    const price = priceFor(model, now);
    if (!price && configured) return [`${feature}: model ${model} is not in the price list; its calls are priced at LLM_PRICE_*`];
    if (!price) return [`${feature}: model ${model} is not in the price list; its calls are priced at the highest listed rates`];
    if (!price.deprecated) return [];
    const retired = Date.parse(`${price.deprecated.retiresOn}T00:00:00Z`) <= now.getTime();
    return [
      `${feature}: model ${model} is deprecated and ${retired ? 'was retired' : 'reaches end of life'} on ` +
        `${price.deprecated.retiresOn}; move it to a current model (e.g. claude-sonnet-5-5)`,
    ];
  });
}
