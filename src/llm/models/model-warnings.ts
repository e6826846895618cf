import { priceFor } from '../pricing/cost-calculator.js';
import { LLM_FEATURES, modelFor, type ModelSettings } from './model-selection.js';

/** What to warn about at boot: models that are unpriced, deprecated, or already retired. */
export function modelWarnings(config: ModelSettings, now: Date): string[] {
  return LLM_FEATURES.flatMap((feature) => {
    const model = modelFor(feature, config);
    const price = priceFor(model, now);
    if (!price) return [`${feature}: model ${model} is not in the price list; its calls are priced at the fallback rate`];
    if (!price.deprecated) return [];
    const retired = Date.parse(`${price.deprecated.retiresOn}T00:00:00Z`) <= now.getTime();
    return [
      `${feature}: model ${model} is deprecated and ${retired ? 'was retired' : 'reaches end of life'} on ` +
        `${price.deprecated.retiresOn}; move it to a current model (e.g. claude-sonnet-5-5)`,
    ];
  });
}
